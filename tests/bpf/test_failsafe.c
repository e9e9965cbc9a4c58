// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The heartbeat: while vgw run's heartbeat is current (or absent, under vgw
 * load) the programs work as ever; once it is a hold time old, XDP accepts
 * no vMAC and tc answers no ARP for the vIP, so a dead daemon never forwards
 * what the group gave away or answers as a second AVG. vgw_beat's timer is
 * what marks it so: run for real here, with a short hold time.
 */
#include <criterion/criterion.h>
#include <linux/bpf.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <time.h>

#include "harness.h"
#include "vgw_beat.skel.h"
#include "vgw_xdp.skel.h"

#define TC_ACT_UNSPEC (-1)
#define TC_ACT_SHOT   2
#define OWN_1_3	      ((1u << 1) | (1u << 3))

static struct dp dp;

static void setup(void)
{
	dp_setup(&dp, true, OWN_1_3);
}

static void teardown(void)
{
	dp_teardown(&dp);
}

static size_t to_vmac(uint8_t *buf, uint16_t index)
{
	struct frame_spec f = { .kind = FRAME_IPV4_UDP };

	vmac(index, f.dst);
	memcpy(f.src, T_HOSTMAC, 6);
	return frame_build(&f, buf);
}

static size_t to_router(uint8_t *buf)
{
	struct frame_spec f = { .kind = FRAME_IPV4_UDP };

	memcpy(f.dst, T_IFMAC, 6);
	memcpy(f.src, T_HOSTMAC, 6);
	return frame_build(&f, buf);
}

Test(failsafe, a_current_heartbeat_changes_nothing, .init = setup, .fini = teardown)
{
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len;

	dp_set_heartbeat(&dp, false);
	len = to_vmac(in, 1);
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_PASS);
	cr_assert_arr_eq(out, T_IFMAC, 6);
	len = kernel_arp_reply(in, T_HOSTMAC, T_HOSTIP);
	cr_assert_eq(dp_run_tc_egress(&dp, in, len, out, NULL), TC_ACT_UNSPEC);
	cr_assert_eq(dp_counters(&dp, 1).packets, 1);
	cr_assert_eq(dp_arp_counters(&dp).replies_avg, 1);
	cr_assert_eq(dp_arp_counters(&dp).replies_failsafe, 0);
}

Test(failsafe, an_expired_heartbeat_stops_vmacs_and_arp_answers, .init = setup, .fini = teardown)
{
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len;
	int k;

	dp_set_heartbeat(&dp, true);
	for (k = 0; k < 3; k++) {
		len = to_vmac(in, 1);
		cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_DROP, "owned vMAC");
		len = to_vmac(in, 2);
		cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_DROP, "foreign vMAC");
		len = kernel_arp_reply(in, T_HOSTMAC, T_HOSTIP);
		cr_assert_eq(dp_run_tc_egress(&dp, in, len, out, NULL), TC_ACT_SHOT, "ARP answer");
	}
	cr_assert_eq(dp_counters(&dp, 1).packets, 0);
	cr_assert_eq(dp_counters(&dp, 1).misdelivered_packets, 3);
	cr_assert_eq(dp_counters(&dp, 2).misdelivered_packets, 3);
	cr_assert_eq(dp_arp_counters(&dp).replies_failsafe, 3);
	cr_assert_eq(dp_arp_counters(&dp).replies_avg, 0);
	/* the router's own traffic is not the group's: it passes */
	len = to_router(in);
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_PASS);
	cr_assert_arr_eq(out, in, len);
}

Test(failsafe, no_heartbeat_under_vgw_load_never_expires, .init = setup, .fini = teardown)
{
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len;

	/* what vgw load leaves: zeros */
	len = to_vmac(in, 3);
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_PASS);
	len = kernel_arp_reply(in, T_HOSTMAC, T_HOSTIP);
	cr_assert_eq(dp_run_tc_egress(&dp, in, len, out, NULL), TC_ACT_UNSPEC);
	cr_assert_eq(dp_counters(&dp, 3).packets, 1);
	cr_assert_eq(dp_arp_counters(&dp).replies_avg, 1);
}

/* vgw run's beat: vgw_beat with the hold time in cb[0]. Returns the program's verdict. */
static int beat(struct vgw_beat *b, uint32_t hold_ms)
{
	struct __sk_buff ctx = { .cb = { hold_ms } };
	uint8_t frame[14] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = frame, .data_size_in = sizeof(frame),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(b->progs.vgw_beat), &run), 0);
	return (int)run.retval;
}

static struct vgw_heartbeat heartbeat(void)
{
	struct vgw_heartbeat hb;

	cr_assert_eq(vgw_map_get(dp.m.daemon_heartbeat, 0, &hb), 0);
	return hb;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

Test(failsafe, the_beat_timer_fails_the_data_plane_safe_a_hold_time_after_the_last_beat,
     .init = setup, .fini = teardown)
{
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	struct vgw_beat *b = vgw_beat__open();
	struct vgw_heartbeat hb;
	uint64_t t0, deadline;
	size_t len = to_vmac(in, 1);

	cr_assert_not_null(b);
	bpf_map__set_pin_path(b->maps.daemon_heartbeat, NULL);
	cr_assert_eq(bpf_map__reuse_fd(b->maps.daemon_heartbeat, dp.m.daemon_heartbeat), 0);
	cr_assert_eq(vgw_beat__load(b), 0);
	cr_assert_eq(beat(b, 0), 1, "a beat without a hold time is refused");
	cr_assert_eq(heartbeat().alive_until_ns, 0);

	/* beaten every few ms with a 200 ms hold: never expires */
	t0 = mono_ns();
	while (mono_ns() - t0 < 600000000ULL) {
		cr_assert_eq(beat(b, 200), 0);
		hb = heartbeat();
		cr_assert_eq(hb.failed_safe, 0);
		cr_assert_eq(hb.hold_ms, 200);
		cr_assert_eq(hb.alive_until_ns - hb.beat_ns, 200000000ULL);
		cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_PASS);
	}
	/* then silent: failed safe no sooner than the hold time, within a deadline */
	t0 = mono_ns();
	cr_assert_eq(beat(b, 50), 0);
	deadline = t0 + 2000000000ULL;
	while (!heartbeat().failed_safe && mono_ns() < deadline)
		;
	cr_assert_eq(heartbeat().failed_safe, 1, "the timer never fired");
	cr_assert_geq(mono_ns() - t0, 50000000ULL);
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_DROP);
	/* a new daemon's first beat brings the data plane back */
	cr_assert_eq(beat(b, 50), 0);
	cr_assert_eq(heartbeat().failed_safe, 0);
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_PASS);
	vgw_beat__destroy(b);
}
