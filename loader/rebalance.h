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
	uint32_t handoff_ms; /* --handoff-ms: how long a window may stay open; 0: none */
};

/*
 * A router that took a vMAC from a live one opened a handoff window to it
 * (the flows that live there), and keeps passing such flows on to it after
 * the vMAC moved on (handoff.h). Given the vMAC back from a third router,
 * its new window would go to that third one, and the first one's flows
 * would have no way left but to be forwarded here, and reset (chaos seed 6).
 * So the balancer gives no vMAC back to a router whose last window for it
 * may still be open to another router than the owner. Every router keeps
 * this history, so a new AVG has it too.
 */
#define REBALANCE_GAINS 4
struct rebalance_gain {
	uint32_t router, from; /* from 0: it had no owner */
	uint64_t at;
};

struct vgw_rebalance {
	uint64_t off_since; /* since when a router has been off target beyond the threshold */
	uint64_t cooldown_until[VGW_VMAC_SLOTS];
	unsigned int rounds;
	uint32_t owner_seen[VGW_VMAC_SLOTS];
	struct rebalance_gain gains[VGW_VMAC_SLOTS][REBALANCE_GAINS]; /* newest first */
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
/* Notes who took which vMAC from whom since the last call (every decision pass). */
void rebalance_track(struct vgw_rebalance *rb, const struct vgw_group *g, uint64_t now);

/*
 * The members (a bit per position in g->members) vMAC v must not go to at
 * now: those whose last window for it may still be open to another router
 * than its owner.
 */
uint16_t rebalance_not_to(const struct vgw_rebalance *rb, const struct vgw_group *g, uint16_t v,
			  uint32_t handoff_ms, uint64_t now);

unsigned int rebalance_poll(struct vgw_rebalance *rb, const struct vgw_rebalance_config *cfg,
			    const struct vgw_group *g, uint64_t now, struct rebalance_round *out);

#endif
