// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>
#include <linux/netfilter.h>
#include <string.h>

#include "fastpath.h"

#define PORT(i, u, lo, x)                                                                          \
	{                                                                                          \
		.ifindex = (i), .up = (u), .loopback = (lo), .xdp_xmit = (x)                       \
	}

Test(fastpath, ports_are_up_able_to_take_xdp_and_not_the_lan_or_loopback)
{
	static const struct fast_port ports[] = {
		PORT(1, true, true, true),   /* lo */
		PORT(2, true, false, true),  /* the LAN */
		PORT(3, true, false, true),  /* upstream: in */
		PORT(4, false, false, true), /* down */
		PORT(5, true, false, false), /* a veth whose peer has no XDP program */
		PORT(6, true, false, true),  /* another upstream: in */
	};
	unsigned int out[8];

	cr_assert_eq(fast_ports_choose(ports, 6, 2, out, 8), 2);
	cr_expect_eq(out[0], 3);
	cr_expect_eq(out[1], 6);
	cr_expect_eq(fast_ports_choose(ports, 6, 2, out, 1), 1, "no more than max");
	cr_expect_eq(out[0], 3);
	cr_expect_eq(fast_ports_choose(ports, 6, 3, out, 8), 2, "the LAN is whichever it is");
	cr_expect_eq(out[0], 2);
	cr_expect_eq(out[1], 6);
}

Test(fastpath, chains_that_forwarded_packets_meet_are_named)
{
	static const struct {
		struct nf_chain c;
		bool bypassed;
	} cases[] = {
		{ { NFPROTO_INET, "filter", "forward", NF_INET_FORWARD, false, 2 }, true },
		{ { NFPROTO_IPV4, "nat", "postrouting", NF_INET_POST_ROUTING, false, 1 }, true },
		{ { NFPROTO_IPV6, "raw", "prerouting", NF_INET_PRE_ROUTING, false, 1 }, true },
		{ { NFPROTO_INET, "filter", "forward", NF_INET_FORWARD, true, 0 }, true },
		{ { NFPROTO_INET, "filter", "forward", NF_INET_FORWARD, false, 0 }, false },
		{ { NFPROTO_INET, "filter", "input", NF_INET_LOCAL_IN, true, 5 }, false },
		{ { NFPROTO_INET, "filter", "output", NF_INET_LOCAL_OUT, false, 5 }, false },
		{ { NFPROTO_ARP, "filter", "input", NF_INET_PRE_ROUTING, false, 5 }, false },
		{ { NFPROTO_BRIDGE, "filter", "forward", NF_INET_FORWARD, false, 5 }, false },
		{ { NFPROTO_INET, "filter", "jumped_to", -1, false, 5 }, false },
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		cr_expect_eq(nf_chain_bypassed(&cases[k].c), cases[k].bypassed, "case %zu", k);
}
