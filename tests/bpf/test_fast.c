// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * --fast-path against a table of frames, in a network namespace of the
 * test's own with real routes and neighbours, since bpf_fib_lookup asks the
 * kernel's FIB: the verdict, the rewritten bytes and the exact counters.
 */
#define _GNU_SOURCE /* unshare */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "harness.h"
#include "vgw_xdp.skel.h"

/* The router: lan0 (where frames come in), up0 (in fwd_ports), oth0 (not in it). */
static const char *const topology[] = {
	"ip link set lo up",
	"ip link add lan0 type veth peer name lan1",
	"ip link add up0 address 52:54:00:00:01:01 type veth peer name up1",
	"ip link add oth0 type veth peer name oth1",
	"for i in lan0 lan1 up0 up1 oth0 oth1; do ip link set $i up || exit 1; done",
	"sysctl -qw net.ipv4.conf.all.forwarding=1 net.ipv6.conf.all.forwarding=1",
	"ip addr add 10.77.0.2/24 dev lan0",
	"ip addr add 2001:db8:77::2/64 dev lan0 nodad",
	"ip addr add 192.0.2.1/24 dev up0",
	"ip addr add 2001:db8:1::1/64 dev up0 nodad",
	"ip addr add 198.18.0.1/24 dev oth0",
	"ip neigh add 192.0.2.2 lladdr 52:54:00:00:02:02 dev up0 nud permanent",
	"ip neigh add 2001:db8:1::2 lladdr 52:54:00:00:02:02 dev up0 nud permanent",
	"ip neigh add 198.18.0.2 lladdr 52:54:00:00:03:02 dev oth0 nud permanent",
	"ip neigh add 10.77.0.50 lladdr 52:54:00:00:04:02 dev lan0 nud permanent",
	"ip route add 203.0.113.0/24 via 192.0.2.2",
	"ip route add 203.0.114.0/24 via 192.0.2.3",
	"ip route add 203.0.115.0/24 via 192.0.2.2 mtu lock 576",
	"ip route add blackhole 198.51.100.0/24",
	"ip route add unreachable 198.51.101.0/24",
	"ip route add prohibit 198.51.102.0/24",
	"ip route add 198.18.1.0/24 via 198.18.0.2",
	"ip -6 route add 2001:db8:2::/64 via 2001:db8:1::2",
	"ip -6 route add 2001:db8:3::/64 via 2001:db8:1::3",
	NULL,
};

#define UP0_MAC	 MAC(0x52, 0x54, 0x00, 0x00, 0x01, 0x01)
#define NEXTHOP	 MAC(0x52, 0x54, 0x00, 0x00, 0x02, 0x02)
#define EXT_HOP	 1 /* a hop-by-hop options header (next header 0) */
#define EXT_FRAG 2 /* a fragment header (44) */
#define DF	 0x4000
#define MF	 0x2000

struct fast_frame {
	bool v6;
	const char *src; /* NULL: the host, 10.77.0.11 or 2001:db8:77::11 */
	const char *dst;
	uint8_t ttl;
	uint8_t ihl;	  /* IPv4 header words; 0: 5 */
	uint16_t frag;	  /* IPv4 flags and offset */
	uint8_t ext;	  /* IPv6: EXT_*, an 8-byte extension header before UDP */
	uint16_t payload; /* UDP payload bytes */
	uint16_t type;	  /* ethertype instead of IP's, when nonzero */
	size_t truncate;  /* cut to this many bytes when nonzero */
	uint8_t vmac;	  /* destination vMAC index; 0: 1 */
};

struct fast_case {
	const char *name;
	struct fast_frame f;
	int reason; /* enum vgw_fast_fallback, or FORWARDED */
};

#define FORWARDED (-1)
#define FRAME_BIG 1600

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* RFC 1071 over n bytes, as the receiver checks it: 0 for a valid header. */
static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t build(const struct fast_frame *f, uint8_t *b)
{
	static const uint8_t host[6] = { 0x52, 0x54, 0x00, 0x11, 0x22, 0x0b };
	size_t l3 = 14, l4, len;
	uint8_t *ip = b + l3;

	memset(b, 0, FRAME_BIG);
	vmac(f->vmac ? f->vmac : 1, b);
	memcpy(b + 6, host, 6);
	if (f->v6) {
		put16(b + 12, 0x86dd);
		ip[0] = 0x60;
		ip[6] = f->ext == EXT_HOP ? 0 : f->ext == EXT_FRAG ? 44 : 17;
		ip[7] = f->ttl;
		inet_pton(AF_INET6, f->src ? f->src : "2001:db8:77::11", ip + 8);
		inet_pton(AF_INET6, f->dst, ip + 24);
		l4 = l3 + 40;
		if (f->ext) {
			b[l4] = 17; /* next header: UDP; the rest zero (padding, offset 0) */
			l4 += 8;
		}
		put16(ip + 4, (uint16_t)(l4 - l3 - 40 + 8 + f->payload));
	} else {
		uint8_t ihl = f->ihl ? f->ihl : 5;

		put16(b + 12, 0x0800);
		ip[0] = 0x40 | ihl;
		ip[8] = f->ttl;
		ip[9] = 17;
		put16(ip + 4, 0x1234);
		put16(ip + 6, f->frag);
		inet_pton(AF_INET, f->src ? f->src : "10.77.0.11", ip + 12);
		inet_pton(AF_INET, f->dst, ip + 16);
		memset(ip + 20, 1, ihl * 4 - 20); /* options: NOPs */
		l4 = l3 + ihl * 4;
		put16(ip + 2, (uint16_t)(l4 - l3 + 8 + f->payload));
		put16(ip + 10, csum(ip, ihl * 4));
	}
	put16(b + l4, 4000);
	put16(b + l4 + 2, 5000);
	put16(b + l4 + 4, 8 + f->payload);
	len = l4 + 8 + f->payload;
	memset(b + l4 + 8, 0xa5, f->payload);
	if (f->type)
		put16(b + 12, f->type);
	return f->truncate ? f->truncate : len;
}

#define V4(d, t)                                                                                   \
	{                                                                                          \
		.dst = (d), .ttl = (t), .payload = 32                                              \
	}
#define V6(d, t)                                                                                   \
	{                                                                                          \
		.v6 = true, .dst = (d), .ttl = (t), .payload = 32                                  \
	}

static const struct fast_case fast_cases[] = {
	{ "IPv4 routed via up0", V4("203.0.113.5", 64), FORWARDED },
	{ "IPv4 TTL 2 leaves with TTL 1", V4("203.0.113.5", 2), FORWARDED },
	{ "IPv4 don't-fragment is no fragment",
	  { .dst = "203.0.113.5", .ttl = 64, .frag = DF, .payload = 32 },
	  FORWARDED },
	{ "IPv4 of exactly the route's MTU (576)",
	  { .dst = "203.0.115.5", .ttl = 64, .payload = 576 - 28 },
	  FORWARDED },
	{ "IPv4 one byte above the route's MTU",
	  { .dst = "203.0.115.5", .ttl = 64, .payload = 576 - 27 },
	  VGW_FAST_MTU },
	{ "IPv4 above up0's MTU (1500)",
	  { .dst = "203.0.113.5", .ttl = 64, .payload = 1500 - 27 },
	  VGW_FAST_MTU },
	{ "IPv4 TTL 1", V4("203.0.113.5", 1), VGW_FAST_TTL },
	{ "IPv4 TTL 0", V4("203.0.113.5", 0), VGW_FAST_TTL },
	{ "IPv4 with options", { .dst = "203.0.113.5", .ttl = 64, .ihl = 6 }, VGW_FAST_OPTIONS },
	{ "IPv4 first fragment (MF)",
	  { .dst = "203.0.113.5", .ttl = 64, .frag = MF, .payload = 32 },
	  VGW_FAST_FRAGMENT },
	{ "IPv4 later fragment (offset)",
	  { .dst = "203.0.113.5", .ttl = 64, .frag = 185, .payload = 32 },
	  VGW_FAST_FRAGMENT },
	{ "IPv4 next hop not resolved", V4("203.0.114.5", 64), VGW_FAST_NO_NEIGH },
	{ "IPv4 to the router's LAN address", V4("10.77.0.2", 64), VGW_FAST_LOCAL },
	{ "IPv4 to the router's upstream address", V4("192.0.2.1", 64), VGW_FAST_LOCAL },
	{ "IPv4 with no route", V4("100.64.0.1", 64), VGW_FAST_LOCAL },
	{ "IPv4 multicast", V4("239.1.2.3", 64), VGW_FAST_LOCAL },
	{ "IPv4 broadcast", V4("255.255.255.255", 64), VGW_FAST_LOCAL },
	{ "IPv4 blackhole route", V4("198.51.100.5", 64), VGW_FAST_UNREACHABLE },
	{ "IPv4 unreachable route", V4("198.51.101.5", 64), VGW_FAST_UNREACHABLE },
	{ "IPv4 prohibit route", V4("198.51.102.5", 64), VGW_FAST_UNREACHABLE },
	{ "IPv4 back out of the LAN", V4("10.77.0.50", 64), VGW_FAST_NO_PORT },
	{ "IPv4 via oth0, not in fwd_ports", V4("198.18.1.5", 64), VGW_FAST_NO_PORT },
	{ "IPv4 from a loopback source",
	  { .src = "127.0.0.1", .dst = "203.0.113.5", .ttl = 64 },
	  VGW_FAST_OTHER },
	{ "IPv4 cut inside the header",
	  { .dst = "203.0.113.5", .ttl = 64, .truncate = 30 },
	  VGW_FAST_OTHER },
	{ "not IP (ethertype 0x88b5)",
	  { .dst = "203.0.113.5", .ttl = 64, .type = 0x88b5 },
	  VGW_FAST_NOT_IP },
	{ "IPv6 routed via up0", V6("2001:db8:2::5", 64), FORWARDED },
	{ "IPv6 hop limit 2 leaves with 1", V6("2001:db8:2::5", 2), FORWARDED },
	{ "IPv6 hop limit 1", V6("2001:db8:2::5", 1), VGW_FAST_TTL },
	{ "IPv6 hop-by-hop header",
	  { .v6 = true, .dst = "2001:db8:2::5", .ttl = 64, .ext = EXT_HOP },
	  VGW_FAST_OPTIONS /* every router must see it: never fast */ },
	{ "IPv6 fragment header",
	  { .v6 = true, .dst = "2001:db8:2::5", .ttl = 64, .ext = EXT_FRAG },
	  VGW_FAST_FRAGMENT },
	{ "IPv6 next hop not resolved", V6("2001:db8:3::5", 64), VGW_FAST_NO_NEIGH },
	{ "IPv6 to the router's address", V6("2001:db8:77::2", 64), VGW_FAST_LOCAL },
	{ "IPv6 to a link-local address", V6("fe80::99", 64), VGW_FAST_LOCAL },
	{ "IPv6 multicast", V6("ff02::1", 64), VGW_FAST_LOCAL },
	{ "IPv6 from a link-local source",
	  { .v6 = true, .src = "fe80::11", .dst = "2001:db8:2::5", .ttl = 64 },
	  VGW_FAST_LOCAL },
	{ "IPv6 cut inside the header",
	  { .v6 = true, .dst = "2001:db8:2::5", .ttl = 64, .truncate = 40 },
	  VGW_FAST_OTHER },
};

static struct dp dp;
static int lan_ifindex;

static void netns(void)
{
	const char *const *cmd;

	cr_assert_eq(unshare(CLONE_NEWNET), 0, "a network namespace of the test's own");
	for (cmd = topology; *cmd; cmd++)
		cr_assert_eq(system(*cmd), 0, "%s", *cmd);
	lan_ifindex = if_nametoindex("lan0");
	cr_assert_neq(lan_ifindex, 0);
}

static void ports(void)
{
	__u32 up = if_nametoindex("up0");

	cr_assert_eq(bpf_map_update_elem(dp.m.fwd_ports, &up, &up, BPF_ANY), 0);
}

static void setup(void)
{
	netns();
	dp_setup_fast(&dp, false, 1u << 1, true);
	ports();
}

static void setup_off(void)
{
	netns();
	dp_setup_fast(&dp, false, 1u << 1, false);
	ports();
}

static void teardown(void)
{
	dp_teardown(&dp);
}

static struct vgw_fast_counters fast(void)
{
	struct vgw_fast_counters c;

	cr_assert_eq(vgw_fast_counters_sum(&dp.m, &c), 0);
	return c;
}

/* One run from lan0; the verdict, with the output in out. */
static int run_lan(const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
	struct xdp_md ctx = { .data_end = (__u32)len, .ingress_ifindex = (__u32)lan_ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = (__u32)len,
		    .data_out = out, .data_size_out = FRAME_BIG, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = 1);

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(dp.xdp->progs.vgw_xdp), &opts), 0,
		     "test run: %s", strerror(errno));
	*out_len = opts.data_size_out;
	return (int)opts.retval;
}

/* What the fast path must make of in: next hop's MAC, up0's, TTL - 1, checksum updated. */
static void forwarded_bytes(const struct fast_frame *f, const uint8_t *in, size_t len,
			    uint8_t *want)
{
	static const uint8_t nh[6] = NEXTHOP, up0[6] = UP0_MAC;

	memcpy(want, in, len);
	memcpy(want, nh, 6);
	memcpy(want + 6, up0, 6);
	if (f->v6) {
		want[14 + 7]--;
		return;
	}
	want[14 + 8]--;
	put16(want + 14 + 10, 0);
	put16(want + 14 + 10, csum(want + 14, 20)); /* recomputed from scratch */
}

static void expect_fast(const char *name, struct vgw_fast_counters a, struct vgw_fast_counters b,
			int reason, size_t len)
{
	unsigned int r;

	cr_expect_eq(b.forwarded_packets - a.forwarded_packets, reason == FORWARDED,
		     "%s: forwarded packets", name);
	cr_expect_eq(b.forwarded_bytes - a.forwarded_bytes, reason == FORWARDED ? len : 0,
		     "%s: forwarded bytes", name);
	for (r = 0; r < VGW_FAST_N_FALLBACKS; r++)
		cr_expect_eq(
			VGW_FAST_FALLBACK(&b, r) - VGW_FAST_FALLBACK(&a, r), (int)r == reason,
			"%s: fallback counter %u moved by %llu", name, r,
			(unsigned long long)(VGW_FAST_FALLBACK(&b, r) - VGW_FAST_FALLBACK(&a, r)));
}

Test(fast, fixture_table, .init = setup, .fini = teardown)
{
	size_t k;

	for (k = 0; k < sizeof(fast_cases) / sizeof(fast_cases[0]); k++) {
		const struct fast_case *c = &fast_cases[k];
		uint8_t in[FRAME_BIG], want[FRAME_BIG], out[FRAME_BIG];
		struct vgw_vmac_counters v0 = dp_counters(&dp, 1), v1;
		struct vgw_fast_counters f0 = fast();
		int reason = c->reason, verdict;
		size_t len = build(&c->f, in), out_len;

		if (reason == FORWARDED) {
			forwarded_bytes(&c->f, in, len, want);
		} else {
			memcpy(want, in, len);
			memcpy(want, T_IFMAC, 6); /* the default path's rewrite */
		}
		verdict = run_lan(in, len, out, &out_len);
		cr_expect_eq(verdict, reason == FORWARDED ? XDP_REDIRECT : XDP_PASS,
			     "%s: verdict %d", c->name, verdict);
		cr_expect_eq(out_len, len, "%s: length %zu, want %zu", c->name, out_len, len);
		cr_expect_arr_eq(out, want, len, "%s: output bytes differ", c->name);
		expect_fast(c->name, f0, fast(), reason, len);
		v1 = dp_counters(&dp, 1);
		cr_expect_eq(v1.packets - v0.packets, 1, "%s: counted on vMAC 1", c->name);
		cr_expect_eq(v1.bytes - v0.bytes, len, "%s: bytes counted on vMAC 1", c->name);
	}
}

Test(fast, the_ipv4_checksum_update_is_the_full_recomputation, .init = setup, .fini = teardown)
{
	/* TTLs across the carry of the one's-complement sum, and ids that make it wrap */
	static const uint8_t ttls[] = { 2, 64, 128, 255 };
	size_t t, id;

	for (t = 0; t < sizeof(ttls); t++)
		for (id = 0; id < 0x10000; id += 0x0fff) {
			struct fast_frame f = V4("203.0.113.5", ttls[t]);
			uint8_t in[FRAME_BIG], want[FRAME_BIG], out[FRAME_BIG];
			size_t len = build(&f, in), out_len;

			put16(in + 14 + 4, (uint16_t)id);
			put16(in + 14 + 10, 0);
			put16(in + 14 + 10, csum(in + 14, 20));
			forwarded_bytes(&f, in, len, want);
			cr_assert_eq(run_lan(in, len, out, &out_len), XDP_REDIRECT);
			cr_expect_arr_eq(out + 14, want + 14, 20, "TTL %u, id %#zx: header",
					 ttls[t], id);
		}
}

Test(fast, forwarding_off_on_the_lan_is_left_to_the_kernel, .init = setup, .fini = teardown)
{
	struct fast_frame f = V4("203.0.113.5", 64);
	uint8_t in[FRAME_BIG], out[FRAME_BIG];
	struct vgw_fast_counters f0 = fast();
	size_t len = build(&f, in), out_len;

	cr_assert_eq(system("sysctl -qw net.ipv4.conf.lan0.forwarding=0"), 0);
	cr_expect_eq(run_lan(in, len, out, &out_len), XDP_PASS);
	expect_fast("forwarding off", f0, fast(), VGW_FAST_OTHER, len);
}

Test(fast, a_port_removed_from_fwd_ports_is_no_longer_used, .init = setup, .fini = teardown)
{
	struct fast_frame f = V4("203.0.113.5", 64);
	uint8_t in[FRAME_BIG], out[FRAME_BIG];
	__u32 up = if_nametoindex("up0");
	struct vgw_fast_counters f0;
	size_t len = build(&f, in), out_len;

	cr_assert_eq(run_lan(in, len, out, &out_len), XDP_REDIRECT);
	cr_assert_eq(bpf_map_delete_elem(dp.m.fwd_ports, &up), 0);
	f0 = fast();
	cr_expect_eq(run_lan(in, len, out, &out_len), XDP_PASS);
	expect_fast("port removed", f0, fast(), VGW_FAST_NO_PORT, len);
}

Test(fast, foreign_vmacs_and_a_dead_daemon_still_drop, .init = setup, .fini = teardown)
{
	struct fast_frame f = V4("203.0.113.5", 64);
	uint8_t in[FRAME_BIG], out[FRAME_BIG];
	struct vgw_fast_counters f0 = fast();
	size_t len, out_len;

	f.vmac = 2; /* foreign */
	len = build(&f, in);
	cr_expect_eq(run_lan(in, len, out, &out_len), XDP_DROP, "foreign vMAC");
	f.vmac = 1;
	len = build(&f, in);
	dp_set_heartbeat(&dp, true);
	cr_expect_eq(run_lan(in, len, out, &out_len), XDP_DROP, "owned vMAC, daemon gone");
	expect_fast("dropped before the fast path", f0, fast(), -2, len);
	cr_expect_eq(fast().forwarded_bytes, 0);
}

Test(fast, without_fast_path_nothing_is_redirected, .init = setup_off, .fini = teardown)
{
	struct fast_frame f = V4("203.0.113.5", 64);
	uint8_t in[FRAME_BIG], want[FRAME_BIG], out[FRAME_BIG];
	struct vgw_fast_counters f0 = fast();
	size_t len = build(&f, in), out_len;

	memcpy(want, in, len);
	memcpy(want, T_IFMAC, 6);
	cr_expect_eq(run_lan(in, len, out, &out_len), XDP_PASS);
	cr_expect_arr_eq(out, want, len, "the default path's bytes");
	expect_fast("fast path off", f0, fast(), -2, len);
}
