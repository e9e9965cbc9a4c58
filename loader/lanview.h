/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The switch's view, as state: for every vMAC this router owns, whether the
 * LAN has been told (an announce sent) since the last change anywhere in the
 * group. A change (a new table, a peer appearing or coming back, a second
 * AVG heard) may have let some other router's announce, or its claim, move
 * a vMAC's port in the switch: after one, every owned vMAC is announced
 * again. Each announce is repeated a hello later (the previous owner's last
 * frame may arrive after ours), and once more a hold time after that: a
 * previous owner that missed the AVG's hellos (up to a hold time) still
 * takes the vMAC for its own and, hearing of a change, announces it, which
 * moved the switch's port back to it for seconds (chaos seed 5). All owned
 * vMACs are refreshed well within a bridge's ageing time. Pure: the table,
 * the changes and the time in, the vMACs to announce out.
 */
#ifndef VGW_LANVIEW_H
#define VGW_LANVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "vgw_common.h"

#define LANVIEW_REFRESH_MS 60000 /* well within a bridge's 300 s ageing */

struct vgw_lanview {
	bool told[VGW_VMAC_SLOTS];
	uint64_t again_at[VGW_VMAC_SLOTS]; /* the repeat of the last announce; 0: none due */
	uint64_t late_at[VGW_VMAC_SLOTS];  /* its last repeat, a hold time on; 0: none due */
	uint64_t refresh_at;		   /* 0: not started */
};

/*
 * state[1..n_vmacs]: enum vgw_vmac_state the data plane now has. changed:
 * something in the group changed since the last call. Fills announce[] (room
 * for n_vmacs) and returns how many.
 */
unsigned int lanview_update(struct vgw_lanview *lv, const uint8_t *state, uint16_t n_vmacs,
			    bool changed, uint32_t hello_ms, uint32_t hold_ms, uint64_t now,
			    uint16_t *announce);

/* When lanview_update has something to do next without a change (0: nothing). */
uint64_t lanview_next(const struct vgw_lanview *lv, uint16_t n_vmacs);

#endif
