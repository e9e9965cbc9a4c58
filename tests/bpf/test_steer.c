// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* ARP steering on the AVG: least-loaded (Figure 5) with herd protection, weighted, host-dependent.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "harness.h"
#include "vgw_tc.skel.h"
#include "vgw_xdp.skel.h"

#define TC_ACT_UNSPEC (-1)
#define TC_ACT_SHOT   2

static struct dp dp;
static int steer_vmacs_fd, steer_routers_fd, answers_fd;

/* Table 2 over ten vMACs: 1-5 on router slot 0 (212), 6-10 on slot 1 (216). */
static const __u64 table2_load[11] = { 0, 20, 13, 15, 15, 7, 10, 5, 0, 10, 5 };

static void setup_steer(__u8 method, __u64 host_load, const __u64 *weights)
{
	struct vgw_config cfg;
	__u32 i;

	dp_setup(&dp, true, 0);
	steer_vmacs_fd = bpf_map__fd(dp.tc->maps.steer_vmacs);
	steer_routers_fd = bpf_map__fd(dp.tc->maps.steer_routers);
	answers_fd = bpf_map__fd(dp.tc->maps.arp_answers);
	cr_assert_eq(vgw_config_get(&dp.m, &cfg), 0);
	cfg.n_vmacs = 10;
	cr_assert_eq(vgw_config_set(&dp.m, &cfg), 0);
	dp_set_steer(&dp, true, method, host_load);
	for (i = 1; i <= 10; i++) {
		struct vgw_vmac_entry e = { 0 };
		/* steady traffic: the load a window ago is the load now */
		struct vgw_steer_vmac sv = { .load = table2_load[i],
					     .load_base = table2_load[i],
					     .router = i <= 5 ? 0 : 1 };

		vmac(i, e.mac);
		e.state = VGW_VMAC_FOREIGN;
		cr_assert_eq(vgw_vmac_set(&dp.m, i, &e), 0);
		cr_assert_eq(bpf_map_update_elem(steer_vmacs_fd, &i, &sv, BPF_ANY), 0);
	}
	for (i = 0; i < 2; i++) {
		struct vgw_steer_router sr = { weights[i] };

		cr_assert_eq(bpf_map_update_elem(steer_routers_fd, &i, &sr, BPF_ANY), 0);
	}
	dp_publish_steer(&dp);
}

static void teardown(void)
{
	dp_teardown(&dp);
}

/* The kernel's answer to host `last` (10.77.0.last); returns the vMAC index it leaves with. */
static unsigned int answer(uint8_t last)
{
	struct frame_spec f = ARP_FRAME(
		MAC(0x52, 0x54, 0, 0x11, 0x22, last), MAC(0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01), 2,
		MAC(0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01), IP4(10, 77, 0, 1),
		MAC(0x52, 0x54, 0, 0x11, 0x22, last), IP4(10, 77, 0, last), 0);
	uint8_t in[FRAME_MAX], out[FRAME_SCRATCH];
	size_t len = frame_build(&f, in), out_len;

	cr_assert_eq(dp_run_tc_egress(&dp, in, len, out, &out_len), TC_ACT_UNSPEC);
	return vgw_vmac_to_index(out + 22, T_GROUP, 10);
}

Test(steer, least_loaded_answers_0108_as_figure5)
{
	static const __u64 equal[2] = { 1, 1 };

	setup_steer(VGW_LB_LEAST_LOADED, 0, equal);
	cr_assert_eq(answer(11), 8);
	teardown();
}

Test(steer, least_loaded_spreads_a_burst_by_provisional_load)
{
	static const __u64 equal[2] = { 1, 1 };
	__u64 answered;
	__u32 eight = 8;

	/* each answered host counts 3 units until the next measurement */
	setup_steer(VGW_LB_LEAST_LOADED, 3, equal);
	cr_assert_eq(answer(11), 8);
	cr_assert_eq(answer(12), 8, "0108 at 3 is still below 0107 and 0110 at 5");
	cr_assert_eq(answer(13), 7, "0108 at 6 now: 0107 (5)");
	cr_assert_eq(answer(14), 10, "0107 at 8: 0110 (5)");
	cr_assert_eq(bpf_map_lookup_elem(answers_fd, &eight, &answered), 0);
	cr_assert_eq(answered, 2);
	teardown();
}

Test(steer, weighted_answers_in_proportion_to_weight)
{
	static const __u64 one_two[2] = { 1, 2 };
	unsigned int n, on_slot1 = 0;

	setup_steer(VGW_LB_WEIGHTED, 0, one_two);
	for (n = 0; n < 30; n++)
		on_slot1 += answer(20 + n) > 5;
	cr_assert_eq(on_slot1, 20, "%u of 30 to the router of weight 2", on_slot1);
	teardown();
}

Test(steer, host_dependent_keeps_a_host_on_its_vmac)
{
	static const __u64 equal[2] = { 1, 1 };
	unsigned int a, b, n;
	struct vgw_vmac_entry e;

	setup_steer(VGW_LB_HOST_DEPENDENT, 0, equal);
	a = answer(11);
	for (n = 0; n < 5; n++)
		cr_assert_eq(answer(11), a);
	/* find a host on another vMAC (hosts whose MAC and address end alike, as in
	 * a real LAN numbered by hand), then take host 11's vMAC away */
	for (n = 12, b = answer(12); b == a && n < 40; b = answer(++n))
		;
	cr_assert_neq(b, a, "hosts 11..40 all got vMAC %u", a);
	cr_assert_eq(vgw_vmac_get(&dp.m, a, &e), 0);
	e.state = VGW_VMAC_UNUSED;
	cr_assert_eq(vgw_vmac_set(&dp.m, a, &e), 0);
	cr_assert_neq(answer(11), a, "host 11 moves off the vanished vMAC");
	cr_assert_eq(answer(n), b, "host %u keeps its vMAC", n);
	teardown();
}

Test(steer, least_loaded_with_nothing_known_falls_back_to_round_robin)
{
	static const __u64 none[2] = { 0, 0 };

	setup_steer(VGW_LB_LEAST_LOADED, 0, none);
	cr_assert_eq(answer(11), 1);
	cr_assert_eq(answer(12), 2);
	teardown();
}

Test(steer, no_vmac_to_give_touches_no_count)
{
	static const __u64 equal[2] = { 1, 1 };
	struct frame_spec f = ARP_FRAME(MAC(0x52, 0x54, 0, 0x11, 0x22, 11),
					MAC(0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01), 2,
					MAC(0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01), IP4(10, 77, 0, 1),
					MAC(0x52, 0x54, 0, 0x11, 0x22, 11), IP4(10, 77, 0, 11), 0);
	uint8_t in[FRAME_MAX];
	size_t len = frame_build(&f, in);
	__u64 slot0 = 1, answered;
	__u32 i, zero = 0;

	setup_steer(VGW_LB_LEAST_LOADED, 0, equal);
	for (i = 1; i <= 10; i++) {
		struct vgw_vmac_entry e = { 0 }; /* the pool is empty: every vMAC unused */

		cr_assert_eq(vgw_vmac_set(&dp.m, i, &e), 0);
	}
	cr_assert_eq(dp_run_tc_egress(&dp, in, len, NULL, NULL), TC_ACT_SHOT);
	cr_assert_eq(dp_arp_counters(&dp).no_vmac, 1);
	cr_assert_eq(bpf_map_lookup_elem(answers_fd, &zero, &slot0), 0);
	cr_assert_eq(slot0, 0, "arp_answers[0] counted a choice of nothing");
	for (i = 0; i < VGW_MAX_ROUTERS; i++) {
		cr_assert_eq(bpf_map_lookup_elem(dp.m.router_answers, &i, &answered), 0);
		cr_assert_eq(answered, 0, "router_answers[%u] counted a choice of nothing", i);
	}
	teardown();
}
