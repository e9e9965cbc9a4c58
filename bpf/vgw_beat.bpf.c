// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The heartbeat. vgw run runs vgw_beat (bpf_prog_test_run, its hold time in
 * skb->cb[0]) on every pass of its loop; a BPF timer, re-armed each time,
 * fires only when a whole hold time passes without a beat. The timer and its
 * program stay with the pinned map after the daemon dies, which is the point.
 */
#include "vgw_heartbeat.bpf.h"

#define CLOCK_MONOTONIC 1

static int expired(void *map __attribute__((unused)), __u32 *key __attribute__((unused)),
		   struct vgw_heartbeat *hb)
{
	/* a beat that raced the timer moved the deadline: not expired */
	if (bpf_ktime_get_ns() >= hb->alive_until_ns)
		hb->failed_safe = 1;
	return 0;
}

SEC("tc")
int vgw_beat(struct __sk_buff *skb)
{
	__u64 hold_ns = (__u64)skb->cb[0] * 1000000, now = bpf_ktime_get_ns();
	struct vgw_heartbeat *hb;
	__u32 zero = 0;
	long err;

	hb = bpf_map_lookup_elem(&daemon_heartbeat, &zero);
	if (!hb || !hold_ns)
		return 1;
	hb->hold_ms = skb->cb[0];
	hb->beat_ns = now;
	hb->alive_until_ns = now + hold_ns;
	err = bpf_timer_init(&hb->timer, &daemon_heartbeat, CLOCK_MONOTONIC);
	if (err && err != -16 /* EBUSY: set up by an earlier beat */)
		return 2;
	if (bpf_timer_set_callback(&hb->timer, expired) || bpf_timer_start(&hb->timer, hold_ns, 0))
		return 3;
	hb->failed_safe = 0;
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
