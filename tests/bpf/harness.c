// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "vgw_steer.h"
#include "vgw_tc.skel.h"
#include "vgw_xdp.skel.h"

const uint8_t T_IFMAC[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01 };
const uint8_t T_HOSTMAC[6] = { 0x52, 0x54, 0x00, 0x11, 0x22, 0x0b };
const uint8_t T_VIP[4] = { 10, 77, 0, 1 };
const uint8_t T_HOSTIP[4] = { 10, 77, 0, 11 };
const uint8_t T_ROUTERID[4] = { 10, 77, 0, 2 };
const uint8_t T_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
const uint8_t T_ZERO6[6] = { 0 };

void vmac(uint16_t index, uint8_t mac[6])
{
	vgw_vmac_from_index(T_GROUP, index, mac);
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && !strstr(fmt, "unrecognized data section"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static void unpin_all(struct bpf_object *obj)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) bpf_map__set_pin_path(map, NULL);
}

void dp_setup(struct dp *dp, bool avg, unsigned int own_mask)
{
	dp_setup_fast(dp, avg, own_mask, false);
}

static void setup_with(struct dp *dp, bool avg, unsigned int own_mask, bool fast_path,
		       bool handoff);

void dp_setup_fast(struct dp *dp, bool avg, unsigned int own_mask, bool fast_path)
{
	setup_with(dp, avg, own_mask, fast_path, false);
}

void dp_setup_handoff(struct dp *dp, unsigned int own_mask, bool handoff)
{
	setup_with(dp, false, own_mask, false, handoff);
}

static void setup_with(struct dp *dp, bool avg, unsigned int own_mask, bool fast_path, bool handoff)
{
	struct vgw_config cfg = { 0 };
	struct bpf_map *map;
	uint32_t i;

	libbpf_set_print(quiet);
	memset(dp, 0, sizeof(*dp));
	dp->xdp = vgw_xdp__open();
	cr_assert_not_null(dp->xdp, "open XDP skeleton");
	unpin_all(dp->xdp->obj);
	/* what vgw_xdp_attach() sets from the config */
	dp->xdp->rodata->cfg_group = T_GROUP;
	dp->xdp->rodata->cfg_n_vmacs = T_NVMACS;
	memcpy((void *)dp->xdp->rodata->cfg_ifmac, T_IFMAC, 6);
	dp->xdp->rodata->cfg_fast_path = fast_path;
	dp->xdp->rodata->cfg_handoff = handoff;
	cr_assert_eq(vgw_xdp__load(dp->xdp), 0, "load XDP skeleton");

	dp->tc = vgw_tc__open();
	cr_assert_not_null(dp->tc, "open TC skeleton");
	unpin_all(dp->tc->obj);
	/* one set of maps for both programs, as pinning gives them in production */
	bpf_object__for_each_map(map, dp->tc->obj)
	{
		struct bpf_map *twin;

		/* .rodata and the like, and tc's own scratch map, are the object's own */
		if (bpf_map__is_internal(map) || !strcmp(bpf_map__name(map), "steer_scratch"))
			continue;
		twin = bpf_object__find_map_by_name(dp->xdp->obj, bpf_map__name(map));
		cr_assert_not_null(twin, "XDP object lacks map %s", bpf_map__name(map));
		cr_assert_eq(bpf_map__reuse_fd(map, bpf_map__fd(twin)), 0);
	}
	cr_assert_eq(vgw_tc__load(dp->tc), 0, "load TC skeleton");

	dp->m.config = bpf_map__fd(dp->xdp->maps.vgw_config);
	dp->m.vmac_table = bpf_map__fd(dp->xdp->maps.vmac_table);
	dp->m.vmac_counters = bpf_map__fd(dp->xdp->maps.vmac_counters);
	dp->m.arp_probes = bpf_map__fd(dp->xdp->maps.arp_probes);
	dp->m.arp_counters = bpf_map__fd(dp->xdp->maps.arp_counters);
	dp->m.steer_params = bpf_map__fd(dp->xdp->maps.steer_params);
	dp->m.daemon_heartbeat = bpf_map__fd(dp->xdp->maps.daemon_heartbeat);
	dp->m.nd_counters = bpf_map__fd(dp->xdp->maps.nd_counters);
	dp->m.nd_probes = bpf_map__fd(dp->xdp->maps.nd_probes);
	dp->m.fwd_ports = bpf_map__fd(dp->xdp->maps.fwd_ports);
	dp->m.fast_counters = bpf_map__fd(dp->xdp->maps.fast_counters);
	dp->m.handoff_table = bpf_map__fd(dp->xdp->maps.handoff_table);
	dp->m.handoff_counters = bpf_map__fd(dp->xdp->maps.handoff_counters);
	dp->m.handoff_flows = bpf_map__fd(dp->xdp->maps.handoff_flows);
	dp->m.steer_vmacs = bpf_map__fd(dp->xdp->maps.steer_vmacs);
	dp->m.steer_routers = bpf_map__fd(dp->xdp->maps.steer_routers);
	dp->m.arp_answers = bpf_map__fd(dp->xdp->maps.arp_answers);
	dp->m.steer_sums = bpf_map__fd(dp->xdp->maps.steer_sums);
	dp->m.router_answers = bpf_map__fd(dp->xdp->maps.router_answers);

	memcpy(cfg.vip, T_VIP, 4);
	memcpy(cfg.router_id, T_ROUTERID, 4);
	memcpy(cfg.ifmac, T_IFMAC, 6);
	cfg.group = T_GROUP;
	cfg.n_vmacs = T_NVMACS;
	cfg.flags = (fast_path ? VGW_CFG_F_FAST_PATH : 0) | (handoff ? VGW_CFG_F_HANDOFF : 0);
	cr_assert_eq(vgw_config_set(&dp->m, &cfg), 0);
	dp_set_steer(dp, avg, VGW_LB_ROUND_ROBIN, 0);
	for (i = 1; i <= T_NVMACS; i++) {
		struct vgw_vmac_entry e = { 0 };

		vmac(i, e.mac);
		e.state = (own_mask & (1u << i)) ? VGW_VMAC_OWNED : VGW_VMAC_FOREIGN;
		cr_assert_eq(vgw_vmac_set(&dp->m, i, &e), 0);
	}
}

void dp_set_steer(struct dp *dp, bool avg, uint8_t lb_method, uint64_t host_load)
{
	struct vgw_steer_params sp = { .avg = avg, .lb_method = lb_method, .host_load = host_load };

	cr_assert_eq(vgw_map_set(dp->m.steer_params, 0, &sp), 0);
}

void dp_publish_steer(struct dp *dp)
{
	struct vgw_steer_sum sums[VGW_MAX_ROUTERS + 1];
	struct vgw_steer_router sr;
	struct vgw_steer_params sp;
	struct vgw_config cfg;
	__u64 answers;
	uint32_t i;

	cr_assert_eq(vgw_config_get(&dp->m, &cfg), 0);
	cr_assert_eq(vgw_map_get(dp->m.steer_params, 0, &sp), 0);
	for (i = 0; i < VGW_MAX_ROUTERS; i++) {
		cr_assert_eq(vgw_map_get(dp->m.router_answers, i, &answers), 0);
		cr_assert_eq(vgw_map_get(dp->m.steer_routers, i, &sr), 0);
		vgw_steer_sum_start(&sums[i], answers, sr.weight);
	}
	for (i = 1; i <= cfg.n_vmacs; i++) {
		struct vgw_steer_vmac sv;

		cr_assert_eq(vgw_map_get(dp->m.steer_vmacs, i, &sv), 0);
		cr_assert_eq(vgw_map_get(dp->m.arp_answers, i, &answers), 0);
		vgw_steer_sum_add(sums, i, &sv, answers, sp.host_load);
	}
	cr_assert_eq(vgw_map_get(dp->m.router_answers, VGW_STEER_GROUP, &answers), 0);
	vgw_steer_sums_total(sums, answers);
	for (i = 0; i <= VGW_STEER_GROUP; i++)
		cr_assert_eq(vgw_map_set(dp->m.steer_sums, i, &sums[i]), 0);
}

void dp_set_heartbeat(struct dp *dp, bool failed_safe)
{
	struct vgw_heartbeat hb = { .hold_ms = 300, .failed_safe = failed_safe };
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	hb.beat_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	hb.alive_until_ns = hb.beat_ns + (failed_safe ? 0 : 300000000ULL);
	cr_assert_eq(vgw_map_set(dp->m.daemon_heartbeat, 0, &hb), 0);
}

void dp_teardown(struct dp *dp)
{
	vgw_tc__destroy(dp->tc);
	vgw_xdp__destroy(dp->xdp);
}

static int run(int prog_fd, const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
	uint8_t scratch[FRAME_SCRATCH];
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = len,
		    .data_out = out ? out : scratch, .data_size_out = FRAME_SCRATCH, .repeat = 1);

	cr_assert_eq(bpf_prog_test_run_opts(prog_fd, &opts), 0,
		     "test run of %zu bytes (%02x %02x ...): %s", len, in[0], in[1],
		     strerror(errno));
	if (out_len)
		*out_len = opts.data_size_out;
	return (int)opts.retval;
}

int dp_run_xdp(struct dp *dp, const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
	return run(bpf_program__fd(dp->xdp->progs.vgw_xdp), in, len, out, out_len);
}

int dp_run_tc_egress(struct dp *dp, const uint8_t *in, size_t len, uint8_t *out, size_t *out_len)
{
	return run(bpf_program__fd(dp->tc->progs.vgw_tc_egress), in, len, out, out_len);
}

int dp_run_tc_ingress(struct dp *dp, const uint8_t *in, size_t len)
{
	return run(bpf_program__fd(dp->tc->progs.vgw_tc_ingress), in, len, NULL, NULL);
}

struct vgw_vmac_counters dp_counters(struct dp *dp, uint32_t index)
{
	struct vgw_vmac_counters c;

	cr_assert_eq(vgw_vmac_counters_sum(&dp->m, index, &c), 0);
	return c;
}

struct vgw_arp_counters dp_arp_counters(struct dp *dp)
{
	struct vgw_arp_counters c;

	cr_assert_eq(vgw_arp_counters_sum(&dp->m, &c), 0);
	return c;
}

size_t kernel_arp_reply(uint8_t *buf, const uint8_t host_mac[6], const uint8_t host_ip[4])
{
	struct frame_spec f = { .kind = FRAME_ARP, .arp_op = 2 };

	memcpy(f.dst, host_mac, 6);
	memcpy(f.src, T_IFMAC, 6);
	memcpy(f.sha, T_IFMAC, 6);
	memcpy(f.spa, T_VIP, 4);
	memcpy(f.tha, host_mac, 6);
	memcpy(f.tpa, host_ip, 4);
	return frame_build(&f, buf);
}
