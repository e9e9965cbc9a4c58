// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Hostile and malformed frames: thousands of seeded random frames, biased to
 * look like vMAC traffic and ARP for the vIP, through all three programs.
 * None may change the config or the vMAC table, and each program changes a
 * frame only where its job says it may.
 */
#include <criterion/criterion.h>
#include <linux/bpf.h>
#include <string.h>

#include <bpf/bpf.h>

#include "harness.h"

#define FRAMES	      1000000 /* about 15 s here */
#define OWN_1_3	      ((1u << 1) | (1u << 3))
#define TC_ACT_UNSPEC (-1)
#define TC_ACT_SHOT   2

static uint64_t rng = 0x76677667u;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static size_t hostile_frame(uint8_t *f)
{
	size_t len = 14 + next() % 100, i;
	uint8_t *arp = f + 14;

	for (i = 0; i < FRAME_MAX; i++)
		f[i] = next();
	switch (next() % 3) {
	case 0: /* a vMAC of our group, index anywhere in 0..4095 */
		vgw_vmac_from_index(T_GROUP, next() % 4096, f);
		break;
	case 1: /* the vMAC prefix with anything after it */
		f[0] = 0x02, f[1] = 0x76, f[2] = 0x67;
		break;
	}
	if (next() % 2) {
		f[12] = 0x08, f[13] = 0x06;
		if (next() % 2) /* a well-formed IPv4-over-Ethernet ARP header */
			arp[0] = 0, arp[1] = 1, arp[2] = 8, arp[3] = 0, arp[4] = 6, arp[5] = 4,
			arp[6] = 0, arp[7] = next() % 4;
		if (next() % 2)
			memcpy(arp + 14, T_VIP, 4); /* sender: the vIP */
		if (next() % 2)
			memcpy(arp + 24, T_VIP, 4); /* target: the vIP */
	}
	/* the kernel's skb test run refuses an IPv4 or IPv6 frame shorter than its header */
	if (f[12] == 0x08 && f[13] == 0x00 && len < 14 + 20)
		len = 14 + 20;
	if (f[12] == 0x86 && f[13] == 0xdd && len < 14 + 40)
		len = 14 + 40;
	return len;
}

static void snapshot(struct dp *dp, struct vgw_config *cfg, struct vgw_steer_params *sp,
		     struct vgw_vmac_entry *tab)
{
	uint32_t i;

	cr_assert_eq(vgw_config_get(&dp->m, cfg), 0);
	cr_assert_eq(vgw_map_get(dp->m.steer_params, 0, sp), 0);
	for (i = 0; i < VGW_VMAC_SLOTS; i++)
		cr_assert_eq(vgw_vmac_get(&dp->m, i, &tab[i]), 0);
}

static struct dp dp;

static void setup(void)
{
	dp_setup(&dp, true, OWN_1_3);
}

static void teardown(void)
{
	dp_teardown(&dp);
}

Test(hostile, random_frames_change_no_state, .init = setup, .fini = teardown, .timeout = 120)
{
	static struct vgw_vmac_entry tab_before[VGW_VMAC_SLOTS], tab_after[VGW_VMAC_SLOTS];
	struct vgw_config cfg_before, cfg_after;
	struct vgw_steer_params sp_before, sp_after;
	/* the counters as they must come out: a model of what XDP counts */
	static struct vgw_vmac_counters want_cnt[VGW_VMAC_SLOTS];
	uint32_t k;
	int n;

	snapshot(&dp, &cfg_before, &sp_before, tab_before);
	for (n = 0; n < FRAMES; n++) {
		uint8_t in[FRAME_MAX], out[FRAME_SCRATCH], want[FRAME_MAX];
		size_t len = hostile_frame(in), out_len, i;
		uint16_t index = vgw_vmac_to_index(in, T_GROUP, T_NVMACS);
		bool owned = index && (OWN_1_3 & (1u << index));
		int v;

		v = dp_run_xdp(&dp, in, len, out, &out_len);
		memcpy(want, in, len);
		if (owned)
			memcpy(want, T_IFMAC, 6);
		cr_assert_eq(v, index && !owned ? XDP_DROP : XDP_PASS, "frame %d: XDP verdict %d",
			     n, v);
		if (index && owned) {
			want_cnt[index].packets++;
			want_cnt[index].bytes += len;
		} else if (index) {
			want_cnt[index].misdelivered_packets++;
			want_cnt[index].misdelivered_bytes += len;
		}
		cr_assert_eq(out_len, len);
		cr_assert_arr_eq(out, want, len, "frame %d: XDP changed more than it may", n);

		v = dp_run_tc_egress(&dp, in, len, out, &out_len);
		cr_assert(v == TC_ACT_UNSPEC || v == TC_ACT_SHOT, "frame %d: tc verdict %d", n, v);
		cr_assert_eq(out_len, len);
		for (i = 0; i < len; i++)
			cr_assert(out[i] == in[i] || (i >= 22 && i < 28),
				  "frame %d: tc egress changed byte %zu (not the ARP sender MAC)",
				  n, i);

		v = dp_run_tc_ingress(&dp, in, len);
		cr_assert_eq(v, TC_ACT_UNSPEC, "frame %d: tc ingress verdict %d", n, v);
	}
	snapshot(&dp, &cfg_after, &sp_after, tab_after);
	cr_assert_arr_eq(&cfg_after, &cfg_before, sizeof(cfg_before), "config changed");
	cr_assert_arr_eq(&sp_after, &sp_before, sizeof(sp_before), "steering parameters changed");
	cr_assert_arr_eq(tab_after, tab_before, sizeof(tab_before), "vMAC table changed");
	for (k = 0; k < VGW_VMAC_SLOTS; k++) {
		struct vgw_vmac_counters got = dp_counters(&dp, k);

		cr_assert_arr_eq(&got, &want_cnt[k], sizeof(got), "vMAC %u's counters", k);
	}
	cr_assert_gt(want_cnt[1].packets, 0, "the frames reached owned vMACs");
	cr_assert_gt(want_cnt[2].misdelivered_packets, 0, "and foreign ones");
}
