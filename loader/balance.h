/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The traffic-aware balancer (WO 2005/018176): measured loads per vMAC in,
 * moves and ARP choices out. Pure; the daemon measures, decides when, and
 * applies.
 */
#ifndef VGW_BALANCE_H
#define VGW_BALANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "vgw_common.h"

#define BALANCE_MAX_MOVES 8

enum balance_target {
	BALANCE_EQUAL = 0,    /* the same share for every router */
	BALANCE_WEIGHTED = 1, /* shares in proportion to weight */
};

struct balance_router {
	uint32_t id;
	uint8_t weight;
};

struct balance_vmac {
	uint16_t index;
	uint32_t owner;	 /* a router id of the input */
	uint64_t load;	 /* bytes/s or packets/s, as measured */
	bool frozen;	 /* moved recently: not to be moved again yet */
	uint16_t not_to; /* routers (a bit per position in routers[]) it must not go to */
};

struct balance_input {
	unsigned int n_routers;
	struct balance_router routers[VGW_MAX_ROUTERS];
	unsigned int n_vmacs;
	struct balance_vmac vmacs[VGW_MAX_VMACS];
	enum balance_target target;
	unsigned int max_moves; /* 1..BALANCE_MAX_MOVES */
	/* a set with more moves must come closer to target by more than this many
	 * percentage points, so measurement noise buys no extra moves; 0: exact */
	double tolerance_pp;
};

struct balance_move {
	uint16_t index;
	uint32_t from, to;
};

struct balance_plan {
	unsigned int n_moves;
	struct balance_move moves[BALANCE_MAX_MOVES];
	double worst_before; /* largest |share - target| of any router, percentage points */
	double worst_after;
};

/* Each router's share of the load and its target, in percent, in input order. */
void balance_shares(const struct balance_input *in, double *share, double *target);

/*
 * The set of at most max_moves moves that brings the shares closest to their
 * targets (smallest worst deviation, then smallest total deviation), with
 * the fewest moves among equally good sets (within tolerance_pp). No moves
 * when nothing is better.
 */
void balance_plan(const struct balance_input *in, struct balance_plan *out);

/*
 * Figure 5 (vgw_steer.h, as the tc program runs it): the vMAC to answer a
 * new host's ARP with: the least-loaded vMAC of the router furthest below
 * its target, among the routers that own a vMAC. extra[i] (may be NULL) is load
 * added to vmacs[i] for ARPs already answered since the measurement. Returns
 * the position in in->vmacs, or -1 when there is none.
 */
int balance_least_loaded(const struct balance_input *in, const uint64_t *extra);

#endif
