/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the tc program needs to steer new hosts (the steer_* maps), from the
 * group's rates and the ARP answers counted so far. Pure: it keeps a
 * smoothing window of history and returns the maps' contents.
 */
#ifndef VGW_STEERHIST_H
#define VGW_STEERHIST_H

#include <stdbool.h>
#include <stdint.h>

#include "vgw_common.h"

#define STEER_HIST 64 /* polls kept: the window is capped at STEER_HIST - 1 */

struct vgw_steer_hist {
	uint64_t answers[STEER_HIST][VGW_VMAC_SLOTS];
	uint64_t loads[STEER_HIST][VGW_VMAC_SLOTS];
	unsigned int at; /* polls recorded */
};

struct steer_input {
	uint16_t n_vmacs;
	uint32_t poll_ms, smoothing_ms;
	bool balance_on_packets, target_weighted;
	const uint64_t *answers;	   /* arp_answers[1..n_vmacs] now */
	const uint64_t *router_answers;	   /* router_answers[0..16], read just before */
	const struct vgw_vmac_rate *rates; /* the group's view */
	const uint32_t *owner;		   /* owner[1..n_vmacs]: router id, 0 none */
	unsigned int n_members;
	const uint32_t *members;
	const uint8_t *member_weights;
	uint64_t hosts; /* hosts answered recently */
};

struct vgw_steer_data {
	struct vgw_steer_router routers[VGW_MAX_ROUTERS];
	struct vgw_steer_vmac vmacs[VGW_VMAC_SLOTS];
	struct vgw_steer_sum sums[VGW_MAX_ROUTERS + 1]; /* and the group's (VGW_STEER_GROUP) */
	uint64_t host_load;
};

/* The polls in a window of three smoothing time constants, plus the current one. */
unsigned int steer_window(uint32_t poll_ms, uint32_t smoothing_ms);

/* Record one poll and compute the steering data. */
void steer_update(struct vgw_steer_hist *h, const struct steer_input *in,
		  struct vgw_steer_data *out);

#endif
