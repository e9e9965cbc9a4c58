// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Connection handoff against a table of frames, in a network namespace of
 * the test's own whose conntrack holds real entries: a TCP connection and a
 * UDP exchange over loopback, made by this test with sockets. Frames of those
 * flows stay with this router; frames of flows it does not know go to the
 * old owner's MAC (XDP_TX), unless they open a connection.
 */
#define _GNU_SOURCE /* unshare */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/bpf.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "harness.h"
#include "vgw_xdp.skel.h"

#define OLD_OWNER MAC(0x52, 0x54, 0x00, 0xaa, 0xbb, 0x09)
#define TCP_FIN	  0x01
#define TCP_SYN	  0x02
#define TCP_RST	  0x04
#define TCP_ACK	  0x10
#define FRAME_LEN 128

/* conntrack on in this namespace: a rule that asks for the state of every flow */
static const char *const nft_rules =
	"nft add table inet t && "
	"nft add chain inet t out '{ type filter hook output priority 0; }' && "
	"nft add rule inet t out ct state new,established accept";

struct flow_frame {
	bool v6;
	uint8_t proto; /* IPPROTO_TCP, IPPROTO_UDP or IPPROTO_ICMP */
	uint16_t sport, dport;
	uint8_t tcp_flags;
	uint16_t frag; /* IPv4 flags and offset */
	uint8_t vmac;  /* destination vMAC index; 0: 1 */
};

struct handoff_case {
	const char *name;
	struct flow_frame f;
	bool handed_off;
};

static struct dp dp;
static uint16_t tcp_cport, tcp_lport, udp_cport, udp_lport, tcp6_cport, tcp6_lport;
static int socks[6];

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static size_t build(const struct flow_frame *f, uint8_t *b)
{
	size_t l4;

	memset(b, 0, FRAME_LEN);
	vmac(f->vmac ? f->vmac : 1, b);
	memcpy(b + 6, T_HOSTMAC, 6);
	if (f->v6) {
		put16(b + 12, 0x86dd);
		b[14] = 0x60;
		b[14 + 6] = f->proto;
		b[14 + 7] = 64;
		b[14 + 8 + 15] = 1; /* ::1 */
		b[14 + 24 + 15] = 1;
		l4 = 14 + 40;
		put16(b + 14 + 4, FRAME_LEN - l4);
	} else {
		put16(b + 12, 0x0800);
		b[14] = 0x45;
		put16(b + 14 + 2, FRAME_LEN - 14);
		put16(b + 14 + 6, f->frag);
		b[14 + 8] = 64;
		b[14 + 9] = f->proto;
		inet_pton(AF_INET, "127.0.0.1", b + 14 + 12);
		inet_pton(AF_INET, "127.0.0.1", b + 14 + 16);
		l4 = 14 + 20;
	}
	put16(b + l4, f->sport);
	put16(b + l4 + 2, f->dport);
	if (f->proto == IPPROTO_TCP) {
		b[l4 + 12] = 5 << 4;
		b[l4 + 13] = f->tcp_flags;
	} else if (f->proto == IPPROTO_UDP) {
		put16(b + l4 + 4, FRAME_LEN - l4);
	}
	return FRAME_LEN;
}

static uint16_t port_of(int fd)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);

	cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	return ntohs(a.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port
					     : ((struct sockaddr_in *)&a)->sin_port);
}

/* A TCP connection over loopback (family AF_INET or AF_INET6): conntrack sees it whole. */
static void tcp_connection(int family, uint16_t *cport, uint16_t *lport, int *fds)
{
	struct sockaddr_storage a = { .ss_family = family };
	socklen_t len =
		family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	int l = socket(family, SOCK_STREAM, 0), c = socket(family, SOCK_STREAM, 0);

	if (family == AF_INET6)
		((struct sockaddr_in6 *)&a)->sin6_addr = in6addr_loopback;
	else
		((struct sockaddr_in *)&a)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(l >= 0 && c >= 0);
	cr_assert_eq(bind(l, (struct sockaddr *)&a, len), 0);
	cr_assert_eq(listen(l, 1), 0);
	len = sizeof(a);
	cr_assert_eq(getsockname(l, (struct sockaddr *)&a, &len), 0);
	cr_assert_eq(connect(c, (struct sockaddr *)&a, len), 0, "connect: %s", strerror(errno));
	*lport = port_of(l);
	*cport = port_of(c);
	fds[0] = l;
	fds[1] = c;
}

static void udp_exchange(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_DGRAM, 0), c = socket(AF_INET, SOCK_DGRAM, 0);

	cr_assert_eq(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(getsockname(l, (struct sockaddr *)&a, &len), 0);
	cr_assert_eq(sendto(c, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)), 1);
	udp_lport = port_of(l);
	udp_cport = port_of(c);
	socks[4] = l;
	socks[5] = c;
}

static void window(uint32_t index)
{
	struct vgw_handoff h = { .mac = OLD_OWNER, .to_id = { 10, 77, 0, 9 }, .until_ms = ~0ULL };
	struct vgw_vmac_entry e;

	cr_assert_eq(vgw_map_set(dp.m.handoff_table, index, &h), 0);
	cr_assert_eq(vgw_vmac_get(&dp.m, index, &e), 0);
	e.flags |= VGW_VMAC_F_HANDOFF;
	cr_assert_eq(vgw_vmac_set(&dp.m, index, &e), 0);
}

static void netns(void)
{
	cr_assert_eq(unshare(CLONE_NEWNET), 0, "a network namespace of the test's own");
	cr_assert_eq(system("ip link set lo up"), 0);
	cr_assert_eq(system(nft_rules), 0, "%s", nft_rules);
	tcp_connection(AF_INET, &tcp_cport, &tcp_lport, socks);
	tcp_connection(AF_INET6, &tcp6_cport, &tcp6_lport, socks + 2);
	udp_exchange();
}

/* vMACs 1 and 2 owned, 1 in a window; 3 foreign with the flag set as well */
static void setup(void)
{
	netns();
	dp_setup_handoff(&dp, (1u << 1) | (1u << 2), true);
	window(1);
	window(3);
}

static void setup_off(void)
{
	netns();
	dp_setup_handoff(&dp, (1u << 1) | (1u << 2), false);
	window(1);
}

static void teardown(void)
{
	unsigned int i;

	dp_teardown(&dp);
	for (i = 0; i < 6; i++)
		close(socks[i]);
}

static struct vgw_handoff_counters counters(uint32_t index)
{
	struct vgw_handoff_counters c;

	cr_assert_eq(vgw_handoff_counters_sum(&dp.m, index, &c), 0);
	return c;
}

static int run(const uint8_t *in, size_t len, uint8_t *out)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = (__u32)len,
		    .data_out = out, .data_size_out = FRAME_LEN, .repeat = 1);

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(dp.xdp->progs.vgw_xdp), &opts), 0,
		     "test run: %s", strerror(errno));
	cr_assert_eq(opts.data_size_out, len);
	return (int)opts.retval;
}

#define TCP4(s, d, fl)                                                                             \
	{                                                                                          \
		.proto = IPPROTO_TCP, .sport = (s), .dport = (d), .tcp_flags = (fl)                \
	}

Test(handoff, fixture_table, .init = setup, .fini = teardown)
{
	const struct handoff_case cases[] = {
		{ "TCP ACK of a connection conntrack knows", TCP4(tcp_cport, tcp_lport, TCP_ACK),
		  false },
		{ "TCP ACK of it in the reply direction", TCP4(tcp_lport, tcp_cport, TCP_ACK),
		  false },
		{ "TCP ACK of a connection conntrack does not know",
		  TCP4(tcp_cport, tcp_lport + 1, TCP_ACK), true },
		{ "TCP FIN of an unknown connection",
		  TCP4(tcp_cport, tcp_lport + 1, TCP_FIN | TCP_ACK), true },
		{ "TCP RST of an unknown connection", TCP4(tcp_cport, tcp_lport + 1, TCP_RST),
		  true },
		{ "TCP SYN of a new connection", TCP4(tcp_cport, tcp_lport + 1, TCP_SYN), false },
		{ "TCP SYN+ACK of an unknown one",
		  TCP4(tcp_cport, tcp_lport + 1, TCP_SYN | TCP_ACK), true },
		{ "UDP of a flow conntrack knows",
		  { .proto = IPPROTO_UDP, .sport = udp_cport, .dport = udp_lport },
		  false },
		{ "UDP of a flow conntrack does not know",
		  { .proto = IPPROTO_UDP, .sport = udp_cport, .dport = udp_lport + 1 },
		  true },
		{ "ICMP stays: conntrack cannot be asked from XDP",
		  { .proto = IPPROTO_ICMP },
		  false },
		{ "an IPv4 first fragment stays",
		  { .proto = IPPROTO_UDP, .sport = 1, .dport = 2, .frag = 0x2000 },
		  false },
		{ "IPv6 TCP ACK of a connection conntrack knows",
		  { .v6 = true,
		    .proto = IPPROTO_TCP,
		    .sport = tcp6_cport,
		    .dport = tcp6_lport,
		    .tcp_flags = TCP_ACK },
		  false },
		{ "IPv6 TCP ACK of an unknown connection",
		  { .v6 = true,
		    .proto = IPPROTO_TCP,
		    .sport = tcp6_cport,
		    .dport = tcp6_lport + 1,
		    .tcp_flags = TCP_ACK },
		  true },
		{ "IPv6 UDP of an unknown flow",
		  { .v6 = true, .proto = IPPROTO_UDP, .sport = 7, .dport = 9 },
		  true },
	};
	static const uint8_t old[6] = OLD_OWNER;
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct handoff_case *c = &cases[k];
		struct vgw_handoff_counters h0 = counters(1), h1;
		struct vgw_vmac_counters v0 = dp_counters(&dp, 1), v1;
		uint8_t in[FRAME_LEN], want[FRAME_LEN], out[FRAME_LEN];
		size_t len = build(&c->f, in);
		int verdict;

		memcpy(want, in, len);
		if (c->handed_off) {
			memcpy(want, old, 6);
			vmac(1, want + 6);
		} else {
			memcpy(want, T_IFMAC, 6);
		}
		verdict = run(in, len, out);
		cr_expect_eq(verdict, c->handed_off ? XDP_TX : XDP_PASS, "%s: verdict %d", c->name,
			     verdict);
		cr_expect_arr_eq(out, want, len, "%s: output bytes differ", c->name);
		h1 = counters(1);
		cr_expect_eq(h1.sent_packets - h0.sent_packets, c->handed_off, "%s: sent", c->name);
		cr_expect_eq(h1.sent_bytes - h0.sent_bytes, c->handed_off ? len : 0,
			     "%s: sent bytes", c->name);
		cr_expect_eq(h1.kept_packets - h0.kept_packets, !c->handed_off, "%s: kept",
			     c->name);
		v1 = dp_counters(&dp, 1);
		cr_expect_eq(v1.packets - v0.packets, 1, "%s: counted on vMAC 1", c->name);
	}
}

Test(handoff, a_vmac_without_a_window_is_not_looked_up, .init = setup, .fini = teardown)
{
	struct flow_frame f = TCP4(tcp_cport, tcp_lport + 1, TCP_ACK);
	uint8_t in[FRAME_LEN], out[FRAME_LEN];
	struct vgw_handoff_counters h;
	size_t len;

	f.vmac = 2;
	len = build(&f, in);
	cr_expect_eq(run(in, len, out), XDP_PASS);
	cr_expect_arr_eq(out, T_IFMAC, 6);
	h = counters(2);
	cr_expect_eq(h.sent_packets + h.kept_packets, 0, "no window: no lookup");
}

Test(handoff, a_foreign_vmac_is_dropped_window_or_not, .init = setup, .fini = teardown)
{
	struct flow_frame f = TCP4(tcp_cport, tcp_lport + 1, TCP_ACK);
	uint8_t in[FRAME_LEN], out[FRAME_LEN];
	struct vgw_handoff_counters h;
	size_t len;

	f.vmac = 3;
	len = build(&f, in);
	cr_expect_eq(run(in, len, out), XDP_DROP);
	h = counters(3);
	cr_expect_eq(h.sent_packets + h.kept_packets, 0);
}

Test(handoff, without_the_option_nothing_is_handed_off, .init = setup_off, .fini = teardown)
{
	struct flow_frame f = TCP4(tcp_cport, tcp_lport + 1, TCP_ACK);
	uint8_t in[FRAME_LEN], out[FRAME_LEN];
	struct vgw_handoff_counters h;
	size_t len = build(&f, in);

	cr_expect_eq(run(in, len, out), XDP_PASS);
	cr_expect_arr_eq(out, T_IFMAC, 6);
	h = counters(1);
	cr_expect_eq(h.sent_packets + h.kept_packets, 0);
}

/* On the old owner: frames to its own MAC from a vMAC are counted, their flows kept. */
Test(handoff, frames_handed_to_this_router_are_counted_and_their_flows_kept, .init = setup,
     .fini = teardown)
{
	struct flow_frame f = TCP4(40000, 80, TCP_ACK);
	uint8_t in[FRAME_LEN], out[FRAME_LEN];
	struct vgw_handoff_counters h0 = counters(2), h1;
	struct vgw_flow key = { .family = 4, .proto = IPPROTO_TCP };
	struct vgw_flow_seen seen;
	size_t len = build(&f, in);

	memcpy(in, T_IFMAC, 6);
	vmac(2, in + 6);
	cr_expect_eq(run(in, len, out), XDP_PASS);
	cr_expect_arr_eq(out, in, len, "passed as it came");
	cr_expect_eq(run(in, len, out), XDP_PASS);
	h1 = counters(2);
	cr_expect_eq(h1.received_packets - h0.received_packets, 2);
	cr_expect_eq(h1.received_bytes - h0.received_bytes, 2 * len);
	put16((uint8_t *)&key.sport, 40000);
	put16((uint8_t *)&key.dport, 80);
	inet_pton(AF_INET, "127.0.0.1", key.saddr);
	inet_pton(AF_INET, "127.0.0.1", key.daddr);
	cr_assert_eq(bpf_map_lookup_elem(dp.m.handoff_flows, &key, &seen), 0, "flow kept");
	cr_expect_eq(seen.packets, 2);
	cr_expect_eq(seen.vmac_index, 2);
	cr_expect_eq(seen.closed, 0);
	in[14 + 20 + 13] = TCP_FIN | TCP_ACK;
	cr_expect_eq(run(in, len, out), XDP_PASS);
	cr_assert_eq(bpf_map_lookup_elem(dp.m.handoff_flows, &key, &seen), 0);
	cr_expect_eq(seen.packets, 3);
	cr_expect_eq(seen.closed, 1, "a FIN closes it");
}

Test(handoff, frames_to_this_router_from_others_are_not_counted, .init = setup, .fini = teardown)
{
	struct flow_frame f = TCP4(40000, 80, TCP_ACK);
	uint8_t in[FRAME_LEN], out[FRAME_LEN], other[6];
	struct vgw_handoff_counters h0 = counters(2), h1;
	size_t len = build(&f, in);

	memcpy(in, T_IFMAC, 6);
	memcpy(in + 6, T_HOSTMAC, 6); /* a host, to the router's own MAC */
	cr_expect_eq(run(in, len, out), XDP_PASS);
	vgw_vmac_from_index(T_GROUP + 1, 2, other); /* another group's vMAC */
	memcpy(in + 6, other, 6);
	cr_expect_eq(run(in, len, out), XDP_PASS);
	vmac(2, in + 6);
	memcpy(in, T_HOSTMAC, 6); /* from our vMAC, but not to our MAC */
	cr_expect_eq(run(in, len, out), XDP_PASS);
	h1 = counters(2);
	cr_expect_eq(h1.received_packets - h0.received_packets, 0);
}

/*
 * A chain A -> B -> C: vMAC 3 moved on from here (foreign, its window to the
 * old owner still open). What its new owner hands here of flows this router
 * does not know goes on to the old owner, from this router's own MAC (the
 * switch keeps the vMAC where it is, and nobody passes it on again); known
 * flows and new connections stay here.
 */
Test(handoff, frames_handed_here_of_a_vmac_that_moved_on_go_on_to_its_old_owner, .init = setup,
     .fini = teardown)
{
	static const uint8_t old[6] = OLD_OWNER;
	const struct {
		const char *name;
		struct flow_frame f;
		bool relayed;
	} cases[] = {
		{ "TCP ACK of an unknown connection", TCP4(tcp_cport, tcp_lport + 1, TCP_ACK),
		  true },
		{ "TCP ACK of a connection conntrack knows", TCP4(tcp_cport, tcp_lport, TCP_ACK),
		  false },
		{ "TCP SYN of a new connection", TCP4(tcp_cport, tcp_lport + 1, TCP_SYN), false },
		{ "UDP of an unknown flow",
		  { .proto = IPPROTO_UDP, .sport = udp_cport, .dport = udp_lport + 1 },
		  true },
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct vgw_handoff_counters h0 = counters(3), h1;
		uint8_t in[FRAME_LEN], want[FRAME_LEN], out[FRAME_LEN];
		size_t len = build(&cases[k].f, in);

		memcpy(in, T_IFMAC, 6);
		vmac(3, in + 6);
		memcpy(want, in, len);
		if (cases[k].relayed) {
			memcpy(want, old, 6);
			memcpy(want + 6, T_IFMAC, 6);
		}
		cr_expect_eq(run(in, len, out), cases[k].relayed ? XDP_TX : XDP_PASS, "%s",
			     cases[k].name);
		cr_expect_arr_eq(out, want, len, "%s: output bytes differ", cases[k].name);
		h1 = counters(3);
		cr_expect_eq(h1.received_packets - h0.received_packets, 1, "%s", cases[k].name);
		cr_expect_eq(h1.sent_packets - h0.sent_packets, cases[k].relayed, "%s: sent",
			     cases[k].name);
	}
	/* a flow passed on is kept for --drain-ms like any handed here */
	{
		struct vgw_flow key = { .family = 4, .proto = IPPROTO_TCP };
		struct vgw_flow_seen seen;

		put16((uint8_t *)&key.sport, tcp_cport);
		put16((uint8_t *)&key.dport, tcp_lport + 1);
		inet_pton(AF_INET, "127.0.0.1", key.saddr);
		inet_pton(AF_INET, "127.0.0.1", key.daddr);
		cr_assert_eq(bpf_map_lookup_elem(dp.m.handoff_flows, &key, &seen), 0,
			     "the passed-on flow is kept");
		cr_expect_eq(seen.vmac_index, 3);
	}
}

/* The same while the vMAC is still releasing here: the new owner hands frames back at once. */
Test(handoff, frames_handed_here_while_releasing_go_on_too, .init = setup, .fini = teardown)
{
	static const uint8_t old[6] = OLD_OWNER;
	struct flow_frame f = TCP4(tcp_cport, tcp_lport + 1, TCP_ACK);
	uint8_t in[FRAME_LEN], out[FRAME_LEN];
	struct vgw_vmac_entry e;
	size_t len = build(&f, in);

	cr_assert_eq(vgw_vmac_get(&dp.m, 3, &e), 0);
	e.state = VGW_VMAC_RELEASING;
	cr_assert_eq(vgw_vmac_set(&dp.m, 3, &e), 0);
	memcpy(in, T_IFMAC, 6);
	vmac(3, in + 6);
	cr_expect_eq(run(in, len, out), XDP_TX);
	cr_expect_arr_eq(out, old, 6, "to the old owner");
	cr_expect_arr_eq(out + 6, T_IFMAC, 6, "from this router");
	e.state = VGW_VMAC_OWNED; /* owned again: nothing goes on */
	cr_assert_eq(vgw_vmac_set(&dp.m, 3, &e), 0);
	cr_expect_eq(run(in, len, out), XDP_PASS);
}
