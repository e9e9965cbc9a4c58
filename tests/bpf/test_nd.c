// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * IPv6 Neighbor Discovery in the data plane: the kernel's NAs for the virtual
 * link-local rewritten byte for byte (vMAC in the option, R set, checksum
 * right), suppressed off the AVG, NUD answers kept on the vMAC probed, NS
 * re-sourced, the RA guard, and malformed ND that must change nothing.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <bpf/bpf.h>

#include "harness.h"

#define TC_ACT_UNSPEC (-1)
#define TC_ACT_SHOT   2
#define XDP_PASS      2
#define OWN_1_3	      ((1u << 1) | (1u << 3))

#define NA_R 0x80
#define NA_S 0x40
#define NA_O 0x20

static const uint8_t VIP6[16] = { 0xfe, 0x80, [15] = 0x01 };
static const uint8_t LL6[16] = { 0xfe, 0x80, [8] = 0x02, [15] = 0xaa }; /* the router's own */
static const uint8_t HOST6[16] = { 0xfe, 0x80, [8] = 0x02, [14] = 0x12, [15] = 0x34 };
static const uint8_t HOSTG6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x42 }; /* a global one */

static struct dp dp;

/* What vgw load --vip6 fe80::1 writes beside the IPv4 settings. */
static void set_ipv6(void)
{
	struct vgw_config cfg;

	cr_assert_eq(vgw_config_get(&dp.m, &cfg), 0);
	memcpy(cfg.vip6, VIP6, 16);
	memcpy(cfg.ll6, LL6, 16);
	cr_assert_eq(vgw_config_set(&dp.m, &cfg), 0);
}

static void setup_avg(void)
{
	dp_setup(&dp, true, OWN_1_3);
	set_ipv6();
}

static void setup_forwarder(void)
{
	dp_setup(&dp, false, OWN_1_3);
	set_ipv6();
}

static void teardown(void)
{
	dp_teardown(&dp);
}

static struct vgw_nd_counters nd_counters(void)
{
	struct vgw_nd_counters c;

	cr_assert_eq(vgw_nd_counters_sum(&dp.m, &c), 0);
	return c;
}

/* The ICMPv6 checksum of body[0..len) from src to dst, computed here, not by the program. */
static uint16_t icmp6_csum(const uint8_t src[16], const uint8_t dst[16], const uint8_t *body,
			   size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < 16; i += 2)
		sum += (src[i] << 8 | src[i + 1]) + (dst[i] << 8 | dst[i + 1]);
	sum += (uint32_t)len + 58;
	for (i = 0; i + 1 < len; i += 2)
		sum += body[i] << 8 | body[i + 1];
	if (len & 1)
		sum += body[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

struct nd_spec {
	uint8_t type; /* 134 RA, 135 NS, 136 NA */
	uint8_t code;
	bool hop_by_hop; /* next header 0 (a hop-by-hop header) instead of ICMPv6 */
	uint8_t eth_dst[6], eth_src[6];
	const uint8_t *src, *dst;
	uint8_t word[4];       /* NA flags; RA hop limit, flags, lifetime */
	const uint8_t *target; /* NS, NA */
	uint8_t opt_type;      /* 0: no option */
	uint8_t opt_len;       /* in 8-byte units; 1 for a link-layer address */
	uint8_t opt_mac[6];
	bool bad_csum;
};

/* An Ethernet + IPv6 + ND frame, checksum computed; returns its length. */
static size_t nd_frame(const struct nd_spec *s, uint8_t *buf)
{
	size_t off = 14 + 40, body, len;
	uint16_t csum;

	memset(buf, 0, FRAME_MAX);
	memcpy(buf, s->eth_dst, 6);
	memcpy(buf + 6, s->eth_src, 6);
	buf[12] = 0x86;
	buf[13] = 0xdd;
	buf[14] = 0x60;
	buf[20] = s->hop_by_hop ? 0 : 58;
	buf[21] = 255;
	memcpy(buf + 22, s->src, 16);
	memcpy(buf + 38, s->dst, 16);
	buf[off] = s->type;
	buf[off + 1] = s->code;
	memcpy(buf + off + 4, s->word, 4);
	body = s->type == 134 ? 16 : 24;
	if (s->target)
		memcpy(buf + off + 8, s->target, 16);
	if (s->opt_type) {
		buf[off + body] = s->opt_type;
		buf[off + body + 1] = s->opt_len;
		memcpy(buf + off + body + 2, s->opt_mac, 6);
		body += 8;
	}
	len = off + body;
	buf[18] = (uint8_t)(body >> 8);
	buf[19] = (uint8_t)body;
	csum = icmp6_csum(s->src, s->dst, buf + off, body) ^ (s->bad_csum ? 0x5555 : 0);
	buf[off + 2] = (uint8_t)(csum >> 8);
	buf[off + 3] = (uint8_t)csum;
	return len;
}

/* What the router's kernel sends to a host's multicast NS for fe80::1 (forwarding on: R). */
static struct nd_spec kernel_na(void)
{
	struct nd_spec s = { .type = 136,
			     .src = VIP6,
			     .dst = HOST6,
			     .target = VIP6,
			     .word = { NA_R | NA_S | NA_O },
			     .opt_type = 2,
			     .opt_len = 1 };

	memcpy(s.eth_dst, T_HOSTMAC, 6);
	memcpy(s.eth_src, T_IFMAC, 6);
	memcpy(s.opt_mac, T_IFMAC, 6);
	return s;
}

/* Runs tc egress; out/out_len get the frame as it leaves. */
static int egress(const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
	return dp_run_tc_egress(&dp, in, len, out, out_len);
}

Test(nd, avg_na_gets_vmac_router_flag_and_checksum, .init = setup_avg, .fini = teardown)
{
	struct nd_spec s = kernel_na(), w;
	uint8_t in[FRAME_MAX], want[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len, out_len;

	s.word[0] = NA_S | NA_O; /* a kernel that does not forward leaves R out: vgw sets it */
	len = nd_frame(&s, in);
	w = s;
	w.word[0] = NA_R | NA_S | NA_O;
	vmac(1, w.opt_mac);
	cr_assert_eq(nd_frame(&w, want), len);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_eq(out_len, len);
	/* byte for byte: Ethernet source still ours, vMAC in the option, checksum recomputed */
	cr_assert_arr_eq(out, want, len);
	cr_assert_eq(icmp6_csum(VIP6, HOST6, out + 54, len - 54), 0, "checksum over the result");
	cr_assert_eq(nd_counters().replies_avg, 1);
	/* round-robin: the next host gets the next vMAC */
	vmac(2, w.opt_mac);
	nd_frame(&w, want);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_arr_eq(out, want, len);
}

Test(nd, avg_na_to_global_host_address, .init = setup_avg, .fini = teardown)
{
	struct nd_spec s = kernel_na(), w;
	uint8_t in[FRAME_MAX], want[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len, out_len;

	s.dst = HOSTG6; /* a host that solicited from its global address */
	len = nd_frame(&s, in);
	w = s;
	vmac(1, w.opt_mac);
	nd_frame(&w, want);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_arr_eq(out, want, len);
}

Test(nd, forwarder_suppresses_na, .init = setup_forwarder, .fini = teardown)
{
	struct nd_spec s = kernel_na();
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len = nd_frame(&s, in), out_len;

	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_SHOT);
	cr_assert_eq(nd_counters().replies_dropped, 1);
	cr_assert_eq(nd_counters().replies_avg, 0);
}

Test(nd, unsolicited_na_for_vip6_dropped, .init = setup_avg, .fini = teardown)
{
	struct nd_spec s = kernel_na();
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len, out_len;

	s.word[0] = NA_R | NA_O;
	memset(s.eth_dst, 0x33, 2);
	len = nd_frame(&s, in);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_SHOT);
	cr_assert_eq(nd_counters().unsolicited_dropped, 1);
}

/* A host's NUD probe: unicast NS for fe80::1 to the vMAC it has cached. */
static size_t nud_probe(uint8_t *buf, uint16_t index)
{
	struct nd_spec s = { .type = 135, .src = HOST6, .dst = VIP6, .target = VIP6 };

	vmac(index, s.eth_dst);
	memcpy(s.eth_src, T_HOSTMAC, 6);
	return nd_frame(&s, buf);
}

Test(nd, nud_answer_keeps_the_probed_vmac_on_a_forwarder, .init = setup_forwarder, .fini = teardown)
{
	struct nd_spec s = kernel_na(), w;
	uint8_t in[FRAME_MAX], want[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len, out_len;

	len = nud_probe(in, 3);
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, &out_len), XDP_PASS);
	cr_assert_eq(nd_counters().probes_remembered, 1);
	/* a kernel with force_tllao answers with its MAC in the option: vMAC 3 goes in */
	len = nd_frame(&s, in);
	w = s;
	vmac(3, w.opt_mac);
	nd_frame(&w, want);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_arr_eq(out, want, len);
	cr_assert_eq(nd_counters().replies_probe, 1);
	/* consumed: the next one is a forwarder's to drop */
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_SHOT);
}

Test(nd, nud_answer_without_option_passes_unchanged, .init = setup_forwarder, .fini = teardown)
{
	struct nd_spec s = kernel_na();
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len, out_len;

	len = nud_probe(in, 3);
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, &out_len), XDP_PASS);
	/* the kernel's answer to a unicast NS: no option, O clear; the host keeps its vMAC */
	s.opt_type = 0;
	s.word[0] = NA_R | NA_S;
	len = nd_frame(&s, in);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_arr_eq(out, in, len);
	cr_assert_eq(nd_counters().replies_plain, 1);
}

Test(nd, probes_of_foreign_vmacs_or_dad_are_not_remembered, .init = setup_forwarder,
     .fini = teardown)
{
	static const uint8_t unspec[16];
	struct nd_spec s = { .type = 135, .src = unspec, .dst = VIP6, .target = VIP6 };
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len, out_len;

	len = nud_probe(in, 2); /* vMAC 2 is foreign here: dropped, nothing remembered */
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, &out_len), 1 /* XDP_DROP */);
	vmac(3, s.eth_dst);
	memcpy(s.eth_src, T_HOSTMAC, 6);
	len = nd_frame(&s, in); /* DAD from :: */
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, &out_len), XDP_PASS);
	len = nud_probe(in, 3);
	cr_assert_eq(dp_run_xdp(&dp, in, 14 + 40 + 20, out, &out_len), XDP_PASS); /* truncated */
	cr_assert_eq(nd_counters().probes_remembered, 0);
}

Test(nd, ns_from_a_virtual_address_leaves_from_own_link_local, .init = setup_forwarder,
     .fini = teardown)
{
	struct nd_spec s = { .type = 135,
			     .src = VIP6,
			     .dst = HOST6,
			     .target = HOST6,
			     .opt_type = 1,
			     .opt_len = 1 },
		       w;
	uint8_t in[FRAME_MAX], want[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len, out_len;

	memcpy(s.eth_dst, T_HOSTMAC, 6);
	memcpy(s.eth_src, T_IFMAC, 6);
	memcpy(s.opt_mac, T_IFMAC, 6);
	len = nd_frame(&s, in);
	w = s;
	w.src = LL6;
	nd_frame(&w, want);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_arr_eq(out, want, len);
	cr_assert_eq(nd_counters().ns_source_fixed, 1);
	/* from our own link-local already: untouched */
	cr_assert_eq(egress(want, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_arr_eq(out, want, len);
	cr_assert_eq(nd_counters().ns_source_fixed, 1);
}

static struct nd_spec ra(const uint8_t *src, uint16_t lifetime, bool sllao)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	struct nd_spec s = { .type = 134,
			     .src = src,
			     .dst = all_nodes,
			     .word = { 64, 0, (uint8_t)(lifetime >> 8), (uint8_t)lifetime } };

	memcpy(s.eth_dst, (uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }, 6);
	memcpy(s.eth_src, T_IFMAC, 6);
	if (sllao) {
		s.opt_type = 1;
		s.opt_len = 1;
		memcpy(s.opt_mac, T_IFMAC, 6);
	}
	return s;
}

Test(nd, ra_guard, .init = setup_forwarder, .fini = teardown)
{
	static const struct {
		const uint8_t *src;
		uint16_t lifetime;
		bool sllao;
		int verdict;
	} cases[] = {
		{ VIP6, 1800, false, TC_ACT_UNSPEC }, /* as radvd should send them */
		{ VIP6, 1800, true, TC_ACT_SHOT },    /* AdvSourceLLAddress on */
		{ VIP6, 0, false, TC_ACT_SHOT },      /* radvd stopping */
		{ LL6, 1800, false, TC_ACT_SHOT },    /* no AdvRASrcAddress */
		{ LL6, 0, true, TC_ACT_UNSPEC },      /* offers no default router */
	};
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t k, len, out_len;
	struct vgw_nd_counters c;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct nd_spec s = ra(cases[k].src, cases[k].lifetime, cases[k].sllao);

		len = nd_frame(&s, in);
		cr_assert_eq(egress(in, len, out, &out_len), cases[k].verdict, "case %zu", k);
		if (cases[k].verdict == TC_ACT_UNSPEC)
			cr_assert_arr_eq(out, in, len, "case %zu changed", k);
	}
	c = nd_counters();
	cr_assert_eq(c.ra_sllao_dropped, 1);
	cr_assert_eq(c.ra_withdraw_dropped, 1);
	cr_assert_eq(c.ra_foreign_dropped, 1);
}

/* Malformed or foreign ND never crashes, is never rewritten, and counts where it says. */
Test(nd, malformed_nd_changes_nothing, .init = setup_avg, .fini = teardown)
{
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len, out_len, cut;
	struct nd_spec s;

	/* every truncation of the kernel's NA: passed untouched or dropped, never rewritten */
	s = kernel_na();
	len = nd_frame(&s, in);
	/* from a whole IPv6 header on: the kernel runs tc on no shorter IPv6 skb */
	for (cut = 54; cut < len; cut++) {
		int v = egress(in, cut, out, &out_len);

		cr_assert(v == TC_ACT_UNSPEC || v == TC_ACT_SHOT, "cut %zu: verdict %d", cut, v);
		if (v == TC_ACT_UNSPEC)
			cr_assert_arr_eq(out, in, cut, "cut %zu rewritten", cut);
	}
	cr_assert_eq(nd_counters().replies_avg, 0);
	/* a zero-length option */
	s = kernel_na();
	s.opt_len = 0;
	len = nd_frame(&s, in);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_SHOT);
	/* an option longer than the frame */
	s.opt_len = 4;
	len = nd_frame(&s, in);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_SHOT);
	/* and the 7 cuts inside the option (79..85 of 86 bytes) */
	cr_assert_eq(nd_counters().malformed_dropped, 2 + 7);
	/* behind an extension header, or with a nonzero code: not ND vgw sends; untouched */
	s = kernel_na();
	s.hop_by_hop = true;
	len = nd_frame(&s, in);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_arr_eq(out, in, len);
	s = kernel_na();
	s.code = 1;
	len = nd_frame(&s, in);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_arr_eq(out, in, len);
	cr_assert_eq(nd_counters().replies_avg, 0);
}

/* Without --vip6 the data plane leaves IPv6 alone; with no --vip, ARP from 0.0.0.0 too. */
Test(nd, no_vip6_no_rewrite_and_no_vip_no_arp_drop, .init = setup_avg, .fini = teardown)
{
	struct vgw_config cfg;
	struct nd_spec s = kernel_na();
	struct frame_spec probe = { .kind = FRAME_ARP, .arp_op = 1 };
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len, out_len;

	cr_assert_eq(vgw_config_get(&dp.m, &cfg), 0);
	memset(cfg.vip6, 0, 16);
	memset(cfg.vip, 0, 4);
	cr_assert_eq(vgw_config_set(&dp.m, &cfg), 0);
	len = nd_frame(&s, in);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_arr_eq(out, in, len);
	/* the router's own ARP probe (DAD, sender 0.0.0.0) is not "a request from the vIP" */
	memset(probe.dst, 0xff, 6);
	memcpy(probe.src, T_IFMAC, 6);
	memcpy(probe.sha, T_IFMAC, 6);
	memcpy(probe.tpa, T_ROUTERID, 4);
	len = frame_build(&probe, in);
	cr_assert_eq(egress(in, len, out, &out_len), TC_ACT_UNSPEC);
	cr_assert_eq(dp_arp_counters(&dp).requests_dropped, 0);
}
