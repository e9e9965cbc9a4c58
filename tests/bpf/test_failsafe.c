// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The heartbeat: while vgw run's heartbeat is current (or absent, under vgw
 * load) the programs work as ever; once it is a hold time old, XDP accepts
 * no vMAC and tc answers no ARP for the vIP, so a dead daemon never forwards
 * what the group gave away or answers as a second AVG.
 */
#include <criterion/criterion.h>
#include <linux/bpf.h>
#include <string.h>

#include "harness.h"

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

/* The kernel's answer to a host's ARP for the vIP, before tc puts a vMAC in. */
static size_t kernel_reply(uint8_t *buf)
{
	struct frame_spec f = { .kind = FRAME_ARP, .arp_op = 2 };

	memcpy(f.dst, T_HOSTMAC, 6);
	memcpy(f.src, T_IFMAC, 6);
	memcpy(f.sha, T_IFMAC, 6);
	memcpy(f.spa, T_VIP, 4);
	memcpy(f.tha, T_HOSTMAC, 6);
	memcpy(f.tpa, T_HOSTIP, 4);
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

	dp_set_heartbeat(&dp, 10000);
	len = to_vmac(in, 1);
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_PASS);
	cr_assert_arr_eq(out, T_IFMAC, 6);
	len = kernel_reply(in);
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

	/* expired a second ago: the coarse clock lags by a tick at most */
	dp_set_heartbeat(&dp, -1000);
	for (k = 0; k < 3; k++) {
		len = to_vmac(in, 1);
		cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_DROP, "owned vMAC");
		len = to_vmac(in, 2);
		cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_DROP, "foreign vMAC");
		len = kernel_reply(in);
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

	dp_set_heartbeat(&dp, 0);
	len = to_vmac(in, 3);
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_PASS);
	len = kernel_reply(in);
	cr_assert_eq(dp_run_tc_egress(&dp, in, len, out, NULL), TC_ACT_UNSPEC);
	cr_assert_eq(dp_counters(&dp, 3).packets, 1);
	cr_assert_eq(dp_arp_counters(&dp).replies_avg, 1);
}
