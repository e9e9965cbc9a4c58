// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The XDP program against a table of frames: verdict, output bytes, exact counters. */
#include <criterion/criterion.h>
#include <linux/bpf.h>
#include <string.h>

#include "harness.h"

#define V(i)	MAC(0x02, 0x76, 0x67, 0x00, 0x10, (i))
#define HOST	MAC(0x52, 0x54, 0x00, 0x11, 0x22, 0x0b)
#define IFMAC	MAC(0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01)
#define BCAST	MAC(0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
#define VIP	IP4(10, 77, 0, 1)
#define HOSTIP	IP4(10, 77, 0, 11)
#define OWN_1_3 ((1u << 1) | (1u << 3))

enum count_kind {
	COUNT_NONE,	    /* no per-vMAC counter moves */
	COUNT_ACCEPTED,	    /* packets +1, bytes +len on cnt_index */
	COUNT_MISDELIVERED, /* misdelivered packets +1, bytes +len on cnt_index */
};

struct xdp_case {
	const char *name;
	struct frame_spec in;
	int verdict;
	bool rewritten; /* output == input with the destination set to the router's MAC */
	enum count_kind count;
	uint32_t cnt_index;
	bool remembers; /* an asker -> vMAC entry is stored */
};

#define NONE6	 MAC(0, 0, 0, 0, 0, 0)
#define OTHER_IP IP4(10, 77, 0, 99)

static const struct xdp_case xdp_cases[] = {
	{ .name = "IPv4 to owned vMAC 1",
	  .in = IPV4_FRAME(V(1), HOST, 0),
	  .verdict = XDP_PASS,
	  .rewritten = true,
	  .count = COUNT_ACCEPTED,
	  .cnt_index = 1 },
	{ .name = "IPv4 to owned vMAC 3",
	  .in = IPV4_FRAME(V(3), HOST, 0),
	  .verdict = XDP_PASS,
	  .rewritten = true,
	  .count = COUNT_ACCEPTED,
	  .cnt_index = 3 },
	{ .name = "IPv4 to foreign vMAC 2",
	  .in = IPV4_FRAME(V(2), HOST, 0),
	  .verdict = XDP_DROP,
	  .count = COUNT_MISDELIVERED,
	  .cnt_index = 2 },
	{ .name = "IPv4 to foreign vMAC 4",
	  .in = IPV4_FRAME(V(4), HOST, 0),
	  .verdict = XDP_DROP,
	  .count = COUNT_MISDELIVERED,
	  .cnt_index = 4 },
	{ .name = "IPv4 to the router's own MAC",
	  .in = IPV4_FRAME(IFMAC, HOST, 0),
	  .verdict = XDP_PASS },
	{ .name = "broadcast ARP request for the vIP",
	  .in = ARP_FRAME(BCAST, HOST, 1, HOST, HOSTIP, NONE6, VIP, 0),
	  .verdict = XDP_PASS },
	{ .name = "vMAC of another group",
	  .in = IPV4_FRAME(MAC(0x02, 0x76, 0x67, 0x00, 0x20, 0x01), HOST, 0),
	  .verdict = XDP_PASS },
	{ .name = "vMAC index beyond the pool",
	  .in = IPV4_FRAME(V(5), HOST, 0),
	  .verdict = XDP_PASS },
	{ .name = "vMAC index 0", .in = IPV4_FRAME(V(0), HOST, 0), .verdict = XDP_PASS },
	{ .name = "multicast look-alike of a vMAC",
	  .in = IPV4_FRAME(MAC(0x03, 0x76, 0x67, 0x00, 0x10, 0x01), HOST, 0),
	  .verdict = XDP_PASS },
	{ .name = "unicast ARP probe for the vIP to owned vMAC 3",
	  .in = ARP_FRAME(V(3), HOST, 1, HOST, HOSTIP, NONE6, VIP, 0),
	  .verdict = XDP_PASS,
	  .rewritten = true,
	  .count = COUNT_ACCEPTED,
	  .cnt_index = 3,
	  .remembers = true },
	{ .name = "unicast ARP request to owned vMAC for another address",
	  .in = ARP_FRAME(V(1), HOST, 1, HOST, HOSTIP, NONE6, OTHER_IP, 0),
	  .verdict = XDP_PASS,
	  .rewritten = true,
	  .count = COUNT_ACCEPTED,
	  .cnt_index = 1 },
	{ .name = "unicast ARP reply to owned vMAC",
	  .in = ARP_FRAME(V(1), HOST, 2, HOST, HOSTIP, V(1), VIP, 0),
	  .verdict = XDP_PASS,
	  .rewritten = true,
	  .count = COUNT_ACCEPTED,
	  .cnt_index = 1 },
	{ .name = "unicast ARP probe for the vIP to foreign vMAC 2",
	  .in = ARP_FRAME(V(2), HOST, 1, HOST, HOSTIP, NONE6, VIP, 0),
	  .verdict = XDP_DROP,
	  .count = COUNT_MISDELIVERED,
	  .cnt_index = 2 },
	{ .name = "ARP probe to owned vMAC cut inside the ARP body",
	  .in = ARP_FRAME(V(3), HOST, 1, HOST, HOSTIP, NONE6, VIP, 40),
	  .verdict = XDP_PASS,
	  .rewritten = true,
	  .count = COUNT_ACCEPTED,
	  .cnt_index = 3 },
	{ .name = "bare Ethernet header to owned vMAC",
	  .in = IPV4_FRAME(V(1), HOST, 14),
	  .verdict = XDP_PASS,
	  .rewritten = true,
	  .count = COUNT_ACCEPTED,
	  .cnt_index = 1 },
	{ .name = "bare Ethernet header to foreign vMAC",
	  .in = IPV4_FRAME(V(2), HOST, 14),
	  .verdict = XDP_DROP,
	  .count = COUNT_MISDELIVERED,
	  .cnt_index = 2 },
	{ .name = "bare Ethernet header to a non-vMAC",
	  .in = IPV4_FRAME(HOST, IFMAC, 14),
	  .verdict = XDP_PASS },
};

static struct dp dp;

static void setup(void)
{
	dp_setup(&dp, false, OWN_1_3);
}

static void teardown(void)
{
	dp_teardown(&dp);
}

static void check_counters(const struct xdp_case *c, const struct vgw_vmac_counters before[],
			   size_t len)
{
	uint32_t i;

	for (i = 1; i <= T_NVMACS; i++) {
		struct vgw_vmac_counters now = dp_counters(&dp, i), want = before[i];

		if (i == c->cnt_index && c->count == COUNT_ACCEPTED) {
			want.packets++;
			want.bytes += len;
		} else if (i == c->cnt_index && c->count == COUNT_MISDELIVERED) {
			want.misdelivered_packets++;
			want.misdelivered_bytes += len;
		}
		cr_expect_eq(now.packets, want.packets, "%s: vMAC %u packets %llu, want %llu",
			     c->name, i, now.packets, want.packets);
		cr_expect_eq(now.bytes, want.bytes, "%s: vMAC %u bytes %llu, want %llu", c->name, i,
			     now.bytes, want.bytes);
		cr_expect_eq(now.misdelivered_packets, want.misdelivered_packets,
			     "%s: vMAC %u misdelivered packets", c->name, i);
		cr_expect_eq(now.misdelivered_bytes, want.misdelivered_bytes,
			     "%s: vMAC %u misdelivered bytes", c->name, i);
	}
}

Test(xdp, fixture_table, .init = setup, .fini = teardown)
{
	size_t k;

	for (k = 0; k < sizeof(xdp_cases) / sizeof(xdp_cases[0]); k++) {
		const struct xdp_case *c = &xdp_cases[k];
		struct vgw_vmac_counters before[T_NVMACS + 1];
		uint8_t in[FRAME_MAX], want[FRAME_MAX], out[FRAME_SCRATCH];
		uint64_t probes_before = dp_arp_counters(&dp).probes_remembered;
		size_t len = frame_build(&c->in, in), out_len;
		uint32_t i;
		int verdict;

		for (i = 1; i <= T_NVMACS; i++)
			before[i] = dp_counters(&dp, i);
		memcpy(want, in, len);
		if (c->rewritten)
			memcpy(want, T_IFMAC, 6);

		verdict = dp_run_xdp(&dp, in, len, out, &out_len);
		cr_expect_eq(verdict, c->verdict, "%s: verdict %d, want %d", c->name, verdict,
			     c->verdict);
		cr_expect_eq(out_len, len, "%s: output length %zu, want %zu", c->name, out_len,
			     len);
		cr_expect_arr_eq(out, want, len, "%s: output bytes differ", c->name);
		check_counters(c, before, len);
		cr_expect_eq(dp_arp_counters(&dp).probes_remembered, probes_before + c->remembers,
			     "%s: probes remembered", c->name);
	}
}

Test(xdp, counts_every_frame_exactly, .init = setup, .fini = teardown)
{
	struct frame_spec f = IPV4_FRAME(V(3), HOST, 0);
	uint8_t in[FRAME_MAX];
	size_t len = frame_build(&f, in);
	int n;

	for (n = 0; n < 100; n++)
		cr_assert_eq(dp_run_xdp(&dp, in, len, NULL, NULL), XDP_PASS);
	f.dst[5] = 4;
	len = frame_build(&f, in);
	for (n = 0; n < 7; n++)
		cr_assert_eq(dp_run_xdp(&dp, in, len, NULL, NULL), XDP_DROP);

	cr_assert_eq(dp_counters(&dp, 3).packets, 100);
	cr_assert_eq(dp_counters(&dp, 3).bytes, 100 * len);
	cr_assert_eq(dp_counters(&dp, 4).misdelivered_packets, 7);
	cr_assert_eq(dp_counters(&dp, 4).misdelivered_bytes, 7 * len);
	cr_assert_eq(dp_counters(&dp, 1).packets, 0);
	cr_assert_eq(dp_counters(&dp, 2).misdelivered_packets, 0);
}

Test(xdp, releasing_vmac_is_still_forwarded, .init = setup, .fini = teardown)
{
	struct frame_spec f = IPV4_FRAME(V(1), HOST, 0);
	struct vgw_vmac_entry e;
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len;

	cr_assert_eq(vgw_vmac_get(&dp.m, 1, &e), 0);
	e.state = VGW_VMAC_RELEASING;
	cr_assert_eq(vgw_vmac_set(&dp.m, 1, &e), 0);
	len = frame_build(&f, in);
	cr_assert_eq(dp_run_xdp(&dp, in, len, out, NULL), XDP_PASS);
	cr_assert_arr_eq(out, T_IFMAC, 6);
	cr_assert_eq(dp_counters(&dp, 1).packets, 1);
}
