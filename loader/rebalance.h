/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * When the AVG re-assigns vMACs: a router off target by more than the
 * threshold for the hold time, enough traffic to mean something, and no
 * vMAC moved twice within its cooldown. Pure: the group's table and rates
 * and the time in, a plan of moves out; balance.c chooses the moves.
 */
#ifndef VGW_REBALANCE_H
#define VGW_REBALANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "balance.h"
#include "group.h"

struct vgw_rebalance_config {
	bool on_packets, weighted;
	uint32_t threshold_pp; /* percentage points */
	uint32_t hold_ms;
	uint32_t cooldown_ms;
	uint32_t min_pps; /* no moves while the group carries less */
	uint32_t max_moves;
};

struct vgw_rebalance {
	uint64_t off_since; /* since when a router has been off target beyond the threshold */
	uint64_t cooldown_until[VGW_VMAC_SLOTS];
	unsigned int rounds;
};

struct rebalance_round {
	unsigned int number; /* 1, 2, ...: numbered rounds in the log */
	unsigned int n_routers;
	double before[VGW_MAX_ROUTERS], after[VGW_MAX_ROUTERS], target[VGW_MAX_ROUTERS];
	struct balance_plan plan;
};

/*
 * One poll on the AVG (call it on the others too: it resets the hold). Returns
 * the number of moves in out->plan, which the caller applies (group_move):
 * the moved vMACs' cooldowns have started.
 */
unsigned int rebalance_poll(struct vgw_rebalance *rb, const struct vgw_rebalance_config *cfg,
			    const struct vgw_group *g, uint64_t now, struct rebalance_round *out);

#endif
