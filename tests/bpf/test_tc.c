// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The clsact programs: ARP replies for the vIP on AVG and non-AVG routers, probes, pkt_type. */
#include <criterion/criterion.h>
#include <string.h>

#include <bpf/bpf.h>

#include "harness.h"

#define TC_ACT_UNSPEC (-1)
#define TC_ACT_SHOT   2
#define OWN_1_3	      ((1u << 1) | (1u << 3))
#define ARP_SHA_OFF   (14 + 8)

static struct dp dp;

static void setup_avg(void)
{
	dp_setup(&dp, true, OWN_1_3);
}

static void setup_forwarder(void)
{
	dp_setup(&dp, false, OWN_1_3);
}

static void teardown(void)
{
	dp_teardown(&dp);
}

/* A host's unicast re-validation of its cached vMAC, as XDP sees it arrive. */
static size_t host_probe(uint8_t *buf, const uint8_t host_mac[6], const uint8_t host_ip[4],
			 uint16_t vmac_index)
{
	struct frame_spec f = { .kind = FRAME_ARP, .arp_op = 1 };

	vmac(vmac_index, f.dst);
	memcpy(f.src, host_mac, 6);
	memcpy(f.sha, host_mac, 6);
	memcpy(f.spa, host_ip, 4);
	memcpy(f.tpa, T_VIP, 4);
	return frame_build(&f, buf);
}

/* Runs egress on frame; checks the output equals the input but for the ARP sender MAC. */
static int egress_expect(const uint8_t *in, size_t len, const uint8_t sender_mac[6])
{
	uint8_t out[FRAME_SCRATCH], want[FRAME_MAX];
	size_t out_len;
	int verdict;

	verdict = dp_run_tc_egress(&dp, in, len, out, &out_len);
	memcpy(want, in, len);
	memcpy(want + ARP_SHA_OFF, sender_mac, 6);
	cr_assert_eq(out_len, len);
	cr_assert_arr_eq(out, want, len, "output differs beyond the expected sender MAC");
	return verdict;
}

Test(tc_egress, avg_answers_round_robin_over_active_vmacs, .init = setup_avg, .fini = teardown)
{
	static const uint16_t want_order[] = { 1, 2, 3, 4, 1, 2 };
	uint8_t in[FRAME_MAX], mac[6];
	size_t len = kernel_arp_reply(in, T_HOSTMAC, T_HOSTIP), k;

	for (k = 0; k < sizeof(want_order) / sizeof(want_order[0]); k++) {
		vmac(want_order[k], mac);
		cr_assert_eq(egress_expect(in, len, mac), TC_ACT_UNSPEC, "reply %zu", k);
	}
	cr_assert_eq(dp_arp_counters(&dp).replies_avg, 6);
	cr_assert_eq(dp_arp_counters(&dp).replies_dropped, 0);
}

Test(tc_egress, avg_round_robin_skips_unused_vmacs, .init = setup_avg, .fini = teardown)
{
	static const uint16_t want_order[] = { 1, 3, 4, 1, 3 };
	struct vgw_vmac_entry e;
	uint8_t in[FRAME_MAX], mac[6];
	size_t len = kernel_arp_reply(in, T_HOSTMAC, T_HOSTIP), k;

	cr_assert_eq(vgw_vmac_get(&dp.m, 2, &e), 0);
	e.state = VGW_VMAC_UNUSED;
	cr_assert_eq(vgw_vmac_set(&dp.m, 2, &e), 0);
	for (k = 0; k < sizeof(want_order) / sizeof(want_order[0]); k++) {
		vmac(want_order[k], mac);
		cr_assert_eq(egress_expect(in, len, mac), TC_ACT_UNSPEC, "reply %zu", k);
	}
}

Test(tc_egress, avg_with_no_active_vmac_stays_silent, .init = setup_avg, .fini = teardown)
{
	uint8_t in[FRAME_MAX];
	size_t len = kernel_arp_reply(in, T_HOSTMAC, T_HOSTIP);
	uint32_t i;

	for (i = 1; i <= T_NVMACS; i++) {
		struct vgw_vmac_entry e = { 0 };

		cr_assert_eq(vgw_vmac_set(&dp.m, i, &e), 0);
	}
	cr_assert_eq(egress_expect(in, len, T_IFMAC), TC_ACT_SHOT);
	cr_assert_eq(dp_arp_counters(&dp).no_vmac, 1);
	cr_assert_eq(dp_arp_counters(&dp).replies_avg, 0);
}

Test(tc_egress, forwarder_suppresses_broadcast_answers, .init = setup_forwarder, .fini = teardown)
{
	uint8_t in[FRAME_MAX];
	size_t len = kernel_arp_reply(in, T_HOSTMAC, T_HOSTIP);

	cr_assert_eq(egress_expect(in, len, T_IFMAC), TC_ACT_SHOT);
	cr_assert_eq(egress_expect(in, len, T_IFMAC), TC_ACT_SHOT);
	cr_assert_eq(dp_arp_counters(&dp).replies_dropped, 2);
	cr_assert_eq(dp_arp_counters(&dp).replies_avg, 0);
}

/*
 * The host's unicast probe for vMAC 3 arrives (XDP), then the kernel's reply
 * to it leaves (tc egress): it must carry vMAC 3. Returns the reply frame.
 */
static size_t probe_then_reply(uint8_t *reply)
{
	uint8_t probe[FRAME_MAX], mac[6];
	size_t plen = host_probe(probe, T_HOSTMAC, T_HOSTIP, 3);
	size_t rlen = kernel_arp_reply(reply, T_HOSTMAC, T_HOSTIP);

	cr_assert_eq(dp_run_xdp(&dp, probe, plen, NULL, NULL), XDP_PASS);
	cr_assert_eq(dp_arp_counters(&dp).probes_remembered, 1);
	vmac(3, mac);
	cr_assert_eq(egress_expect(reply, rlen, mac), TC_ACT_UNSPEC);
	cr_assert_eq(dp_arp_counters(&dp).replies_probe, 1);
	return rlen;
}

Test(tc_egress, forwarder_answers_probe_with_the_probed_vmac, .init = setup_forwarder,
     .fini = teardown)
{
	uint8_t reply[FRAME_MAX];
	size_t rlen = probe_then_reply(reply);

	/* the memory serves one reply: the next broadcast answer is suppressed again */
	cr_assert_eq(egress_expect(reply, rlen, T_IFMAC), TC_ACT_SHOT);
	cr_assert_eq(dp_arp_counters(&dp).replies_dropped, 1);
}

Test(tc_egress, avg_answers_probe_with_probed_vmac_not_round_robin, .init = setup_avg,
     .fini = teardown)
{
	uint8_t reply[FRAME_MAX];

	probe_then_reply(reply);
	cr_assert_eq(dp_arp_counters(&dp).replies_avg, 0);
}

Test(tc_egress, another_hosts_probe_does_not_steer_the_reply, .init = setup_avg, .fini = teardown)
{
	static const uint8_t other_mac[6] = { 0x52, 0x54, 0x00, 0x11, 0x22, 0x0c };
	static const uint8_t other_ip[4] = { 10, 77, 0, 12 };
	uint8_t probe[FRAME_MAX], reply[FRAME_MAX], mac[6];
	size_t plen = host_probe(probe, other_mac, other_ip, 3);
	size_t rlen = kernel_arp_reply(reply, T_HOSTMAC, T_HOSTIP);

	cr_assert_eq(dp_run_xdp(&dp, probe, plen, NULL, NULL), XDP_PASS);
	vmac(1, mac);
	cr_assert_eq(egress_expect(reply, rlen, mac), TC_ACT_UNSPEC);
	cr_assert_eq(dp_arp_counters(&dp).replies_probe, 0);
}

Test(tc_egress, stale_probe_memory_is_ignored, .init = setup_forwarder, .fini = teardown)
{
	struct vgw_arp_asker asker = { 0 };
	struct vgw_arp_probe old = { .seen_ns = 1, .vmac_index = 3 };
	uint8_t reply[FRAME_MAX];
	size_t rlen = kernel_arp_reply(reply, T_HOSTMAC, T_HOSTIP);

	memcpy(asker.mac, T_HOSTMAC, 6);
	memcpy(asker.ip, T_HOSTIP, 4);
	cr_assert_eq(bpf_map_update_elem(dp.m.arp_probes, &asker, &old, BPF_ANY), 0);
	cr_assert_eq(egress_expect(reply, rlen, T_IFMAC), TC_ACT_SHOT);
	cr_assert_eq(dp_arp_counters(&dp).replies_probe, 0);
	cr_assert_neq(bpf_map_lookup_elem(dp.m.arp_probes, &asker, &old), 0,
		      "a stale entry is consumed, not kept");
}

#define HOST	  MAC(0x52, 0x54, 0x00, 0x11, 0x22, 0x0b)
#define IFMAC	  MAC(0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01)
#define BCAST	  MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
#define NONE6	  MAC(0, 0, 0, 0, 0, 0)
#define VIP	  IP4(10, 77, 0, 1)
#define ROUTER_IP IP4(10, 77, 0, 2)
#define HOSTIP	  IP4(10, 77, 0, 11)

Test(tc_egress, request_from_the_vip_is_dropped, .init = setup_avg, .fini = teardown)
{
	struct frame_spec f = ARP_FRAME(BCAST, IFMAC, 1, IFMAC, VIP, NONE6, HOSTIP, 0);
	uint8_t in[FRAME_MAX];
	size_t len = frame_build(&f, in);

	cr_assert_eq(egress_expect(in, len, T_IFMAC), TC_ACT_SHOT);
	cr_assert_eq(dp_arp_counters(&dp).requests_dropped, 1);
}

struct untouched_case {
	const char *name;
	struct frame_spec in;
	bool corrupt_hlen; /* overwrite the ARP hardware length with 8 */
};

static const struct untouched_case untouched_cases[] = {
	{ .name = "reply from the router's own address",
	  .in = ARP_FRAME(HOST, IFMAC, 2, IFMAC, ROUTER_IP, HOST, HOSTIP, 0) },
	{ .name = "request from the router's own address",
	  .in = ARP_FRAME(BCAST, IFMAC, 1, IFMAC, ROUTER_IP, NONE6, HOSTIP, 0) },
	{ .name = "IPv4 packet", .in = IPV4_FRAME(HOST, IFMAC, 0) },
	{ .name = "vIP reply cut inside the ARP body",
	  .in = ARP_FRAME(HOST, IFMAC, 2, IFMAC, VIP, HOST, HOSTIP, 38) },
	{ .name = "vIP reply with a bad hardware length",
	  .in = ARP_FRAME(HOST, IFMAC, 2, IFMAC, VIP, HOST, HOSTIP, 0),
	  .corrupt_hlen = true },
	{ .name = "bare Ethernet header",
	  .in = ARP_FRAME(BCAST, IFMAC, 1, IFMAC, VIP, NONE6, HOSTIP, 14) },
};

Test(tc_egress, everything_else_passes_untouched, .init = setup_avg, .fini = teardown)
{
	size_t k;

	for (k = 0; k < sizeof(untouched_cases) / sizeof(untouched_cases[0]); k++) {
		const struct untouched_case *c = &untouched_cases[k];
		uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
		size_t len = frame_build(&c->in, in), out_len;
		struct vgw_arp_counters ac;

		if (c->corrupt_hlen)
			in[14 + 4] = 8;
		cr_expect_eq(dp_run_tc_egress(&dp, in, len, out, &out_len), TC_ACT_UNSPEC, "%s",
			     c->name);
		cr_expect_eq(out_len, len, "%s: length", c->name);
		cr_expect_arr_eq(out, in, len, "%s: output bytes differ", c->name);
		ac = dp_arp_counters(&dp);
		cr_expect_eq(ac.replies_avg + ac.replies_dropped + ac.requests_dropped, 0, "%s",
			     c->name);
	}
}

/*
 * The test run builds the skb against loopback, whose MAC is all zeroes: a
 * frame to any other unicast MAC arrives marked PACKET_OTHERHOST, as after
 * an XDP rewrite on veth.
 */
Test(tc_ingress, remarks_frames_rewritten_to_our_mac, .init = setup_forwarder, .fini = teardown)
{
	struct frame_spec to_us = IPV4_FRAME(IFMAC, HOST, 0);
	struct frame_spec to_other = IPV4_FRAME(MAC(0x52, 0x54, 0x00, 0x11, 0x22, 0x0c), HOST, 0);
	struct frame_spec to_lo = IPV4_FRAME(NONE6, HOST, 0);
	uint8_t in[FRAME_MAX];
	size_t len;

	len = frame_build(&to_us, in);
	cr_assert_eq(dp_run_tc_ingress(&dp, in, len), TC_ACT_UNSPEC);
	cr_assert_eq(dp_arp_counters(&dp).pkt_type_fixed, 1);
	len = frame_build(&to_other, in);
	cr_assert_eq(dp_run_tc_ingress(&dp, in, len), TC_ACT_UNSPEC);
	len = frame_build(&to_lo, in);
	cr_assert_eq(dp_run_tc_ingress(&dp, in, len), TC_ACT_UNSPEC);
	cr_assert_eq(dp_arp_counters(&dp).pkt_type_fixed, 1);
}
