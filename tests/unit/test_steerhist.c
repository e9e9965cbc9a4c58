// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The steering data the tc program reads (steerhist.c): bases a window ago. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "steerhist.h"

Test(steerhist, the_window_is_three_time_constants_of_polls)
{
	cr_assert_eq(steer_window(1000, 3000), 10);
	cr_assert_eq(steer_window(100, 3000), STEER_HIST - 1, "capped");
	cr_assert_eq(steer_window(1000, 0), 1);
}

Test(steerhist, bases_are_the_answers_and_loads_a_window_ago)
{
	static struct vgw_steer_hist h;
	static struct vgw_steer_data out;
	uint64_t answers[VGW_VMAC_SLOTS] = { 0 };
	struct vgw_vmac_rate rates[VGW_VMAC_SLOTS] = { { 0, 0 } };
	uint32_t a = htonl(0x0a000002), b = htonl(0x0a000003);
	uint32_t owner[VGW_VMAC_SLOTS] = { 0, a, b };
	uint32_t members[2] = { a, b };
	uint8_t weights[2] = { 100, 50 };
	struct steer_input in = { .n_vmacs = 2,
				  .poll_ms = 1000,
				  .smoothing_ms = 1000,
				  .target_weighted = true,
				  .answers = answers,
				  .rates = rates,
				  .owner = owner,
				  .n_members = 2,
				  .members = members,
				  .member_weights = weights,
				  .hosts = 4 };
	unsigned int p;

	/* window 4: poll p sees the values of poll p - 4 */
	for (p = 0; p < 6; p++) {
		answers[1] = 10 * p;
		rates[1].bps = 1000 * p;
		rates[2].bps = 3000;
		steer_update(&h, &in, &out);
	}
	cr_assert_eq(out.vmacs[1].answers_base, 10);
	cr_assert_eq(out.vmacs[1].load_base, 1000);
	cr_assert_eq(out.vmacs[1].load, 5000);
	cr_assert_eq(out.vmacs[1].router, 0);
	cr_assert_eq(out.vmacs[2].router, 1);
	cr_assert_eq(out.routers[0].weight, 100);
	cr_assert_eq(out.routers[1].weight, 50);
	cr_assert_eq(out.routers[2].weight, 0);
	cr_assert_eq(out.host_load, 2000, "8000 B/s over 4 hosts");
}

/*
 * steer_sums: each router's vMACs in key order and their steering loads
 * summed, so the tc program reads routers, not every vMAC.
 */
Test(steerhist, sums_per_router_name_its_vmacs_and_add_their_loads)
{
	static struct vgw_steer_hist h;
	static struct vgw_steer_data out;
	uint64_t answers[VGW_VMAC_SLOTS] = { 0, 7, 2, 5 };
	uint64_t router_answers[VGW_MAX_ROUTERS + 1] = { 9, 4, [VGW_STEER_GROUP] = 13 };
	struct vgw_vmac_rate rates[VGW_VMAC_SLOTS] = {
		{ 0, 0 }, { 0, 100 }, { 0, 300 }, { 0, 200 }
	};
	uint32_t a = htonl(0x0a000002), b = htonl(0x0a000003);
	uint32_t owner[VGW_VMAC_SLOTS] = { 0, a, b, a, 0 };
	uint32_t members[2] = { a, b };
	uint8_t weights[2] = { 1, 1 };
	struct steer_input in = { .n_vmacs = 4,
				  .poll_ms = 1000,
				  .smoothing_ms = 0,
				  .answers = answers,
				  .router_answers = router_answers,
				  .rates = rates,
				  .owner = owner,
				  .n_members = 2,
				  .members = members,
				  .member_weights = weights,
				  .hosts = 6 };

	/* window 1: the first poll's bases are its own values (no answers since) */
	steer_update(&h, &in, &out);
	cr_assert_eq(out.host_load, 100, "600 B/s over 6 hosts");
	cr_assert_eq(out.sums[0].n_vmacs, 2);
	cr_assert_eq(out.sums[0].vmacs[0], 1);
	cr_assert_eq(out.sums[0].vmacs[1], 3);
	cr_assert_eq(out.sums[0].load, 300);
	cr_assert_eq(out.sums[0].answers, 12);
	cr_assert_eq(out.sums[0].answered_base, 9);
	cr_assert_eq(out.sums[1].n_vmacs, 1);
	cr_assert_eq(out.sums[1].vmacs[0], 2);
	cr_assert_eq(out.sums[1].load, 300);
	cr_assert_eq(out.sums[1].answered_base, 4);
	cr_assert_eq(out.sums[2].n_vmacs, 0, "vMAC 4 has no owner: in no router's sum");
	cr_assert_eq(out.sums[0].weight, 1);
	cr_assert_eq(out.sums[VGW_STEER_GROUP].load, 600, "the group: both routers' loads");
	cr_assert_eq(out.sums[VGW_STEER_GROUP].answers, 14);
	cr_assert_eq(out.sums[VGW_STEER_GROUP].weight, 2);
	cr_assert_eq(out.sums[VGW_STEER_GROUP].n_vmacs, 3);
	cr_assert_eq(out.sums[VGW_STEER_GROUP].answered_base, 13);
	/* the next poll: vMAC 1 answered 3 more hosts since its base */
	answers[1] = 10;
	steer_update(&h, &in, &out);
	cr_assert_eq(out.sums[0].load, 300 + 3 * 100);
	cr_assert_eq(out.sums[0].answers, 15);
}
