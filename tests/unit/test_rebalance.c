// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* When the AVG re-assigns (rebalance.c): threshold, hold, cooldown and minimum traffic. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "rebalance.h"

static struct vgw_group g;
static struct vgw_rebalance rb;
static struct rebalance_round round_;
static const struct vgw_rebalance_config cfg = {
	.threshold_pp = 5,
	.hold_ms = 3000,
	.cooldown_ms = 30000,
	.min_pps = 100,
	.max_moves = 3,
};

/* Two routers, four vMACs: 1 and 2 on A, 3 and 4 on B, with these rates. */
static void setup_group(uint64_t pps1, uint64_t pps2, uint64_t pps3, uint64_t pps4)
{
	uint32_t a = htonl(0x0a000002), b = htonl(0x0a000003);

	memset(&g, 0, sizeof(g));
	memset(&rb, 0, sizeof(rb));
	g.cfg.n_vmacs = 4;
	g.state = VGW_STATE_AVG;
	g.n_members = 2;
	g.members[0] = a;
	g.members[1] = b;
	g.member_weights[0] = g.member_weights[1] = 100;
	g.owner[1] = g.owner[2] = a;
	g.owner[3] = g.owner[4] = b;
	g.rates[1] = (struct vgw_vmac_rate){ pps1, pps1 * 100 };
	g.rates[2] = (struct vgw_vmac_rate){ pps2, pps2 * 100 };
	g.rates[3] = (struct vgw_vmac_rate){ pps3, pps3 * 100 };
	g.rates[4] = (struct vgw_vmac_rate){ pps4, pps4 * 100 };
}

Test(rebalance, moves_only_after_the_hold_time_off_target)
{
	setup_group(400, 300, 200, 100); /* 70/30 */
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 1000, &round_), 0);
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 3999, &round_), 0);
	/* 1 (400) to B and 3 (200) to A: 50/50, 10 points better than any single move */
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 4000, &round_), 2);
	cr_assert_eq(round_.number, 1);
	cr_assert_float_eq(round_.before[0], 70.0, 1e-9);
	cr_assert_float_eq(round_.after[0], 50.0, 1e-9);
}

Test(rebalance, a_return_to_target_restarts_the_hold)
{
	setup_group(400, 300, 200, 100);
	rebalance_poll(&rb, &cfg, &g, 1000, &round_);
	g.rates[1].bps = g.rates[3].bps = 100; /* briefly balanced */
	g.rates[2].bps = g.rates[4].bps = 100;
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 2000, &round_), 0);
	setup_group(400, 300, 200, 100);
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 3000, &round_), 0);
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 5999, &round_), 0);
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 6000, &round_), 2);
}

Test(rebalance, no_moves_on_a_trickle)
{
	setup_group(40, 30, 20, 9); /* 99 pps in all */
	rebalance_poll(&rb, &cfg, &g, 1000, &round_);
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 10000, &round_), 0);
}

Test(rebalance, a_moved_vmac_stays_put_for_its_cooldown)
{
	struct vgw_rebalance_config one = cfg;

	one.max_moves = 1;
	setup_group(300, 400, 200, 100);
	rebalance_poll(&rb, &one, &g, 1000, &round_);
	cr_assert_eq(rebalance_poll(&rb, &one, &g, 4000, &round_), 1);
	cr_assert_eq(round_.plan.moves[0].index, 1, "300 of A's 700 to B: 40/60");
	cr_assert_eq(rb.cooldown_until[1], 34000);
	cr_assert_eq(rb.cooldown_until[2], 0);
}

Test(rebalance, only_the_avg_balances)
{
	setup_group(400, 300, 200, 100);
	g.state = VGW_STATE_STANDBY;
	rebalance_poll(&rb, &cfg, &g, 1000, &round_);
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 9000, &round_), 0);
}

/* The routers vMAC v may not go to, a bit per member. */
static uint16_t barred(uint16_t v, uint64_t now)
{
	return group_barred(&g, v, g.members, g.n_members, now);
}

/*
 * Chaos seed 6: vMAC 1 went A -> B (B's window to A), B -> C (B passes on
 * what C hands it to A), then a balance round gave it back to B: B's window
 * went to C, and the connections living at A were forwarded by B, and reset.
 * While B's window may be open it gets vMAC 1 from nobody but A.
 */
Test(rebalance, a_vmac_goes_back_to_a_router_only_once_its_window_elsewhere_is_over)
{
	uint32_t a = htonl(0x0a000002), b = htonl(0x0a000003), c = htonl(0x0a000004);

	setup_group(400, 300, 200, 100);
	g.cfg.handoff_ms = 600000;
	g.n_members = 3;
	g.members[2] = c;
	g.member_weights[2] = 100;
	group_move(&g, 1, b, 2000);
	cr_assert_eq(barred(1, 2000), 0, "B has it");
	group_move(&g, 1, c, 3000);
	cr_assert_eq(barred(1, 3000), 1u << 1, "not back to B: its window goes to A");
	cr_assert_eq(barred(1, 601999), 1u << 1);
	cr_assert_eq(barred(1, 602000), 0, "B's window is over");
	cr_assert_eq(barred(3, 3000), 0, "3 never moved");
	g.cfg.handoff_ms = 0;
	cr_assert_eq(barred(1, 3000), 0, "--handoff-ms 0: no windows");
	g.cfg.handoff_ms = 600000;

	/* back to A: B's window goes to the owner now, C's (to B) does not */
	group_move(&g, 1, a, 4000);
	cr_assert_eq(barred(1, 4000), 1u << 2);
}

Test(rebalance, a_router_whose_window_goes_to_the_owner_may_have_the_vmac_back)
{
	uint32_t a = htonl(0x0a000002), b = htonl(0x0a000003);

	setup_group(400, 300, 200, 100);
	g.cfg.handoff_ms = 600000;
	group_move(&g, 1, b, 2000); /* B's window to A */
	group_move(&g, 1, a, 3000); /* back to A */
	cr_assert_eq(barred(1, 3000), 0,
		     "to B again: its new window goes to A, as its old one did");
}

Test(rebalance, the_plan_moves_no_vmac_to_a_router_it_is_barred_from)
{
	uint32_t a = htonl(0x0a000002), b = htonl(0x0a000003), d = htonl(0x0a000009);
	uint16_t v;

	setup_group(400, 300, 200, 100); /* 70/30: 1 to B and 3 to A, unbarred */
	g.cfg.handoff_ms = 600000;
	/* 1 and 2 went to D (gone since), to B, back to A: B's window goes to D */
	for (v = 1; v <= 2; v++) {
		group_move(&g, v, d, 1100);
		group_move(&g, v, b, 1200);
		group_move(&g, v, a, 1300);
	}
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 2000, &round_), 0);
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 5000, &round_), 0,
		     "only A's vMACs could help, and they may not go to B");
	g.cfg.handoff_ms = 0;
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 8000, &round_), 0, "a hold time again");
	cr_assert_eq(rebalance_poll(&rb, &cfg, &g, 11000, &round_), 2, "with no windows they may");
}

Test(rebalance, the_plan_leaves_a_held_vmac_where_it_is)
{
	uint32_t a = htonl(0x0a000002), b = htonl(0x0a000003), c = htonl(0x0a000008),
		 d = htonl(0x0a000009);
	struct vgw_rebalance_config one = cfg;

	one.max_moves = 1;
	setup_group(100, 120, 10, 10); /* 1 to B: 50/50; 2 to B: 42/58 */
	g.cfg.handoff_ms = 600000;
	/* 1 went D -> C -> A (gone since, both): A passes on to C, C to D */
	group_move(&g, 1, d, 1100);
	group_move(&g, 1, c, 1200);
	group_move(&g, 1, a, 1300);
	cr_assert(group_held(&g, 1, 2000));
	rebalance_poll(&rb, &one, &g, 2000, &round_);
	cr_assert_eq(rebalance_poll(&rb, &one, &g, 5000, &round_), 1);
	cr_assert_eq(round_.plan.moves[0].index, 2, "1 stays, 2 goes");
	cr_assert_eq(round_.plan.moves[0].to, b);
}
