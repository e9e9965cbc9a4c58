// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * make bench: per-packet cost of vgw's programs against an empty program of
 * the same type, measured in the same run with bpf_prog_test_run_opts.
 *
 * A test run repeats the program on one buffer, so a rewrite would change
 * what later repeats see. For owned frames the router's MAC is set to the
 * vMAC itself: every repeat takes the whole owned path (count and rewrite)
 * and writes back the same bytes.
 *
 * The bench runs pinned to one CPU as a real-time task: otherwise, whenever
 * the test-run loop yields, other tasks take whole scheduler ticks and the
 * wall-clock time per packet comes out in steps of 4 ns per million.
 *
 * The handoff rows run a second instance of the XDP program built with
 * --handoff-ms on, in a network namespace of the bench's own whose conntrack
 * holds one real TCP connection (over loopback): frames to a vMAC outside a
 * window, and inside one for that connection (a lookup that finds it) and for
 * an unknown one (a lookup that does not, and XDP_TX).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "empty.skel.h"
#include "vgw_common.h"
#include "vgw_steer.h"
#include "vgw_tc.skel.h"
#include "vgw_xdp.skel.h"

#define REPEAT 10000000
#define RUNS   5
#define GROUP  1
#define NVMACS 16

static const __u8 vip[4] = { 10, 77, 0, 1 };
static const __u8 router_mac[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01 };
static const __u8 host_mac[6] = { 0x52, 0x54, 0x00, 0x11, 0x22, 0x0b };

struct bench_case {
	const char *name;
	int empty_fd;
	int vgw_fd;
	__u8 frame[96];
	size_t len;
};

static double run_ns(int fd, const __u8 *frame, size_t len)
{
	__u8 out[128];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = REPEAT);
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (bpf_prog_test_run_opts(fd, &opts)) {
		fprintf(stderr, "vgw-bench: test run failed: %s\n", strerror(errno));
		exit(1);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / REPEAT;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static size_t eth_frame(__u8 *f, const __u8 dst[6], __u16 proto)
{
	memset(f, 0, 64);
	memcpy(f, dst, 6);
	memcpy(f + 6, host_mac, 6);
	f[12] = proto >> 8;
	f[13] = proto & 0xff;
	f[14] = 0x45; /* an IPv4 header's first byte, for looks */
	return 60;
}

/* The kernel's answer to a host's broadcast ARP for the vIP. */
static size_t arp_reply(__u8 *f)
{
	__u8 *a = f + 14;

	eth_frame(f, host_mac, 0x0806);
	memcpy(f + 6, router_mac, 6);
	a[0] = 0, a[1] = 1, a[2] = 8, a[3] = 0, a[4] = 6, a[5] = 4, a[6] = 0, a[7] = 2;
	memcpy(a + 8, router_mac, 6);
	memcpy(a + 14, vip, 4);
	memcpy(a + 18, host_mac, 6);
	a[24] = 10, a[25] = 77, a[26] = 0, a[27] = 11;
	return 60;
}

static const __u8 vip6[16] = { 0xfe, 0x80, [15] = 1 };

/* The kernel's answer to a host's multicast NS for the virtual link-local. */
static size_t na_reply(__u8 *f)
{
	__u8 *ip = f + 14, *icmp = f + 54;

	memset(f, 0, 86);
	memcpy(f, host_mac, 6);
	memcpy(f + 6, router_mac, 6);
	f[12] = 0x86, f[13] = 0xdd;
	ip[0] = 0x60, ip[5] = 32, ip[6] = 58, ip[7] = 255;
	memcpy(ip + 8, vip6, 16);
	ip[24] = 0xfe, ip[25] = 0x80, ip[39] = 0x0b; /* the host's link-local */
	icmp[0] = 136, icmp[4] = 0xe0;		     /* R S O */
	memcpy(icmp + 8, vip6, 16);
	icmp[24] = 2, icmp[25] = 1; /* target link-layer address */
	memcpy(icmp + 26, router_mac, 6);
	return 86;
}

/* A TCP ACK from 127.0.0.1:sport to 127.0.0.1:dport, to vMAC dst and from it. */
static size_t tcp_frame(__u8 *f, const __u8 dst[6], __u16 sport, __u16 dport)
{
	__u8 *ip = f + 14, *tcp = f + 34;

	memset(f, 0, 74);
	memcpy(f, dst, 6);
	memcpy(f + 6, dst, 6); /* XDP_TX writes the vMAC as source: each repeat sees the same */
	f[12] = 0x08;
	ip[0] = 0x45, ip[3] = 60, ip[8] = 64, ip[9] = IPPROTO_TCP;
	ip[12] = 127, ip[15] = 1, ip[16] = 127, ip[19] = 1;
	tcp[0] = sport >> 8, tcp[1] = sport & 0xff, tcp[2] = dport >> 8, tcp[3] = dport & 0xff;
	tcp[12] = 5 << 4, tcp[13] = 0x10; /* ACK */
	return 74;
}

/* Conntrack on in a namespace of our own, with one TCP connection in it: its ports. */
static int conntrack_connection(__u16 *cport, __u16 *lport)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	static int l = -1, c = -1; /* kept open: the connection stays in conntrack for the rows */

	if (unshare(CLONE_NEWNET) || system("ip link set lo up") ||
	    system("nft add table inet b && nft add chain inet b out '{ type filter hook output "
		   "priority 0; }' && nft add rule inet b out ct state new,established accept"))
		return -1;
	l = socket(AF_INET, SOCK_STREAM, 0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &len))
		return -1;
	*lport = ntohs(a.sin_port);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(c, (struct sockaddr *)&a, &len))
		return -1;
	*cport = ntohs(a.sin_port);
	return 0;
}

static void no_pins(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) bpf_map__set_pin_path(map, NULL);
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

static void setup_maps(struct vgw_xdp *xdp, const __u8 *ifmac)
{
	struct vgw_steer_params sp = { .avg = 1, .lb_method = VGW_LB_ROUND_ROBIN };
	struct vgw_config cfg = { 0 };
	struct vgw_heartbeat hb = { 0 };
	struct timespec now;
	__u32 zero = 0, i;

	memcpy(cfg.vip, vip, 4);
	memcpy(cfg.vip6, vip6, 16);
	memcpy(cfg.ifmac, ifmac, 6);
	cfg.group = GROUP;
	cfg.n_vmacs = NVMACS;
	bpf_map_update_elem(bpf_map__fd(xdp->maps.vgw_config), &zero, &cfg, BPF_ANY);
	bpf_map_update_elem(bpf_map__fd(xdp->maps.steer_params), &zero, &sp, BPF_ANY);
	/* as under vgw run: a live heartbeat, so every frame takes the clock check */
	clock_gettime(CLOCK_MONOTONIC, &now);
	hb.beat_ns = (__u64)now.tv_sec * 1000000000ULL + now.tv_nsec;
	hb.alive_until_ns = hb.beat_ns + 3600 * 1000000000ULL;
	bpf_map_update_elem(bpf_map__fd(xdp->maps.daemon_heartbeat), &zero, &hb, BPF_ANY);
	for (i = 1; i <= NVMACS; i++) {
		struct vgw_vmac_entry e = { 0 };

		vgw_vmac_from_index(GROUP, i, e.mac);
		e.state = i <= NVMACS / 2 ? VGW_VMAC_OWNED : VGW_VMAC_FOREIGN;
		bpf_map_update_elem(bpf_map__fd(xdp->maps.vmac_table), &i, &e, BPF_ANY);
	}
}

static void report(const struct bench_case *c, double empty[RUNS], double vgw[RUNS])
{
	qsort(empty, RUNS, sizeof(double), cmp_double);
	qsort(vgw, RUNS, sizeof(double), cmp_double);
	printf("%-22s %6.2f %6.2f %6.2f   %6.2f %6.2f %6.2f   %+6.2f\n", c->name, empty[0],
	       empty[RUNS / 2], empty[RUNS - 1], vgw[0], vgw[RUNS / 2], vgw[RUNS - 1],
	       vgw[RUNS / 2] - empty[RUNS / 2]);
}

static void measure(struct bench_case *c, void (*before)(void *), void *arg)
{
	double empty[RUNS], vgw[RUNS];
	int r;

	if (before)
		before(arg);
	for (r = 0; r < RUNS; r++) {
		empty[r] = run_ns(c->empty_fd, c->frame, c->len);
		vgw[r] = run_ns(c->vgw_fd, c->frame, c->len);
	}
	report(c, empty, vgw);
}

static void owned_setup(void *xdp)
{
	__u8 v[6];

	vgw_vmac_from_index(GROUP, 1, v);
	setup_maps(xdp, v); /* rewrite target == vMAC: each repeat sees the same frame */
}

static void normal_setup(void *xdp)
{
	setup_maps(xdp, router_mac);
}

/* vMAC 1 of the handoff instance in a window whose old owner's MAC is the vMAC itself. */
static void window_setup(void *xdp)
{
	struct vgw_xdp *x = xdp;
	struct vgw_handoff h = { .until_ms = ~0ULL };
	struct vgw_vmac_entry e;
	__u32 one = 1;

	owned_setup(xdp);
	vgw_vmac_from_index(GROUP, 1, h.mac);
	bpf_map_update_elem(bpf_map__fd(x->maps.handoff_table), &one, &h, BPF_ANY);
	bpf_map_lookup_elem(bpf_map__fd(x->maps.vmac_table), &one, &e);
	e.flags |= VGW_VMAC_F_HANDOFF;
	bpf_map_update_elem(bpf_map__fd(x->maps.vmac_table), &one, &e, BPF_ANY);
}

/*
 * A group at the size the targets are set for: 256 vMACs over 16 routers of
 * equal weight, loads all different, answered by least-loaded steering.
 */
#define BIG_VMACS   256
#define BIG_ROUTERS 16
struct big_group {
	struct vgw_xdp *xdp;
	struct vgw_tc *tc;
};

static void big_setup(void *arg)
{
	struct big_group *g = arg;
	struct vgw_steer_params sp = { .avg = 1,
				       .lb_method = VGW_LB_LEAST_LOADED,
				       .host_load = 1000 };
	struct vgw_steer_sum sums[VGW_MAX_ROUTERS + 1];
	struct vgw_config cfg;
	__u32 zero = 0, i;

	setup_maps(g->xdp, router_mac);
	bpf_map_lookup_elem(bpf_map__fd(g->xdp->maps.vgw_config), &zero, &cfg);
	cfg.n_vmacs = BIG_VMACS;
	bpf_map_update_elem(bpf_map__fd(g->xdp->maps.vgw_config), &zero, &cfg, BPF_ANY);
	bpf_map_update_elem(bpf_map__fd(g->xdp->maps.steer_params), &zero, &sp, BPF_ANY);
	for (i = 0; i < BIG_ROUTERS; i++) {
		struct vgw_steer_router r = { .weight = 1 };

		bpf_map_update_elem(bpf_map__fd(g->tc->maps.steer_routers), &i, &r, BPF_ANY);
		vgw_steer_sum_start(&sums[i], 0, r.weight);
	}
	for (i = 1; i <= BIG_VMACS; i++) {
		struct vgw_vmac_entry e = { 0 };
		struct vgw_steer_vmac v = { .load = 100000 + i * 37 % 1000,
					    .load_base = 100000 + i * 37 % 1000,
					    .router = (i - 1) % BIG_ROUTERS };

		vgw_vmac_from_index(GROUP, i, e.mac);
		e.state = i % BIG_ROUTERS == 1 ? VGW_VMAC_OWNED : VGW_VMAC_FOREIGN;
		bpf_map_update_elem(bpf_map__fd(g->xdp->maps.vmac_table), &i, &e, BPF_ANY);
		bpf_map_update_elem(bpf_map__fd(g->tc->maps.steer_vmacs), &i, &v, BPF_ANY);
		vgw_steer_sum_add(sums, i, &v, 0, sp.host_load);
	}
	/* as vgw run publishes them: each router's vMACs and their loads summed */
	vgw_steer_sums_total(sums, 0);
	for (i = 0; i <= VGW_STEER_GROUP; i++)
		bpf_map_update_elem(bpf_map__fd(g->tc->maps.steer_sums), &i, &sums[i], BPF_ANY);
}

static void pin_realtime(void)
{
	struct sched_param sp = { .sched_priority = 50 };
	cpu_set_t cpus;

	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu(), &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus) || sched_setscheduler(0, SCHED_FIFO, &sp))
		fprintf(stderr, "vgw-bench: warning: cannot run as a pinned real-time task: %s\n",
			strerror(errno));
}

/* The XDP object, not loaded yet: its constants as the bench's frames need them. */
static struct vgw_xdp *xdp_open(__u8 handoff)
{
	struct vgw_xdp *x = vgw_xdp__open();

	if (!x)
		return NULL;
	no_pins(x->obj);
	x->rodata->cfg_group = GROUP;
	x->rodata->cfg_n_vmacs = NVMACS;
	/* see owned_setup */
	vgw_vmac_from_index(GROUP, 1, (__u8 *)x->rodata->cfg_ifmac);
	x->rodata->cfg_handoff = handoff;
	return x;
}

/* The handoff instance (or NULL when conntrack cannot be set up here) */
static struct vgw_xdp *handoff_instance(void)
{
	struct vgw_xdp *x = xdp_open(1);

	if (!x)
		return NULL;
	if (vgw_xdp__load(x)) {
		vgw_xdp__destroy(x);
		return NULL;
	}
	return x;
}

static void handoff_rows(struct bench_case *c, struct vgw_xdp *plain, int empty_fd)
{
	__u16 cport, lport;
	struct vgw_xdp *x;
	__u8 v[6];

	if (conntrack_connection(&cport, &lport) || !(x = handoff_instance())) {
		fprintf(stderr, "vgw-bench: no conntrack here: handoff rows left out\n");
		return;
	}
	vgw_vmac_from_index(GROUP, 1, v);
	c->empty_fd = empty_fd;
	/* the same frame through the program without and with the handoff built in */
	c->len = tcp_frame(c->frame, v, cport, lport);
	c->name = "xdp owned, no handoff";
	c->vgw_fd = bpf_program__fd(plain->progs.vgw_xdp);
	measure(c, owned_setup, plain);
	c->name = "xdp owned, no window";
	c->vgw_fd = bpf_program__fd(x->progs.vgw_xdp);
	measure(c, owned_setup, x);
	c->name = "xdp non-vMAC, handoff";
	c->len = eth_frame(c->frame, router_mac, 0x0800);
	measure(c, normal_setup, x);
	c->name = "xdp window, known flow";
	c->len = tcp_frame(c->frame, v, cport, lport);
	measure(c, window_setup, x);
	c->name = "xdp window, XDP_TX";
	c->len = tcp_frame(c->frame, v, cport, lport + 1);
	measure(c, window_setup, x);
	vgw_xdp__destroy(x);
}

int main(void)
{
	struct vgw_xdp *xdp;
	struct vgw_tc *tc;
	struct empty *empty;
	struct bench_case c;
	struct big_group big;
	__u8 v[6];

	libbpf_set_print(quiet);
	pin_realtime();
	xdp = xdp_open(0);
	tc = vgw_tc__open();
	empty = empty__open_and_load();
	if (!xdp || !tc || !empty) {
		fprintf(stderr, "vgw-bench: cannot open the BPF objects (run as root)\n");
		return 1;
	}
	no_pins(tc->obj);
	if (vgw_xdp__load(xdp) ||
	    bpf_map__reuse_fd(tc->maps.vgw_config, bpf_map__fd(xdp->maps.vgw_config)) ||
	    bpf_map__reuse_fd(tc->maps.vmac_table, bpf_map__fd(xdp->maps.vmac_table)) ||
	    bpf_map__reuse_fd(tc->maps.steer_params, bpf_map__fd(xdp->maps.steer_params)) ||
	    bpf_map__reuse_fd(tc->maps.daemon_heartbeat, bpf_map__fd(xdp->maps.daemon_heartbeat)) ||
	    vgw_tc__load(tc)) {
		fprintf(stderr, "vgw-bench: cannot load the BPF objects\n");
		return 1;
	}

	big.xdp = xdp;
	big.tc = tc;
	printf("vgw bench: ns per packet, bpf_prog_test_run_opts, %d repeats x %d runs\n", REPEAT,
	       RUNS);
	printf("%-22s %-20s   %-20s   %s\n", "", "empty min/med/max", "vgw min/med/max",
	       "vgw-empty (median)");

	c.empty_fd = bpf_program__fd(empty->progs.empty_xdp);
	c.vgw_fd = bpf_program__fd(xdp->progs.vgw_xdp);
	vgw_vmac_from_index(GROUP, 1, v);
	c.name = "xdp owned vMAC";
	c.len = eth_frame(c.frame, v, 0x0800);
	measure(&c, owned_setup, xdp);

	vgw_vmac_from_index(GROUP, NVMACS, v);
	c.name = "xdp foreign vMAC";
	c.len = eth_frame(c.frame, v, 0x0800);
	measure(&c, normal_setup, xdp);

	c.name = "xdp non-vMAC";
	c.len = eth_frame(c.frame, router_mac, 0x0800);
	measure(&c, normal_setup, xdp);

	c.empty_fd = bpf_program__fd(empty->progs.empty_tc);
	c.vgw_fd = bpf_program__fd(tc->progs.vgw_tc_egress);
	c.name = "tc ARP reply (AVG)";
	c.len = arp_reply(c.frame);
	measure(&c, normal_setup, xdp);

	c.name = "tc NA reply (AVG)";
	c.len = na_reply(c.frame);
	measure(&c, normal_setup, xdp);

	/* the same answers chosen least-loaded among 256 vMACs of 16 routers */
	c.name = "tc ARP 256 vMACs/16 r";
	c.len = arp_reply(c.frame);
	measure(&c, big_setup, &big);
	c.name = "tc NA 256 vMACs/16 r";
	c.len = na_reply(c.frame);
	measure(&c, big_setup, &big);

	handoff_rows(&c, xdp, bpf_program__fd(empty->progs.empty_xdp));

	empty__destroy(empty);
	vgw_tc__destroy(tc);
	vgw_xdp__destroy(xdp);
	return 0;
}
