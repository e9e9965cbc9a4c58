/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * vgw run on an interface whose previous daemon died: the data plane is
 * still attached and pinned, so take it over instead of refusing. Within
 * the hold time (its heartbeat still running) the group still counts on
 * its role and table, so they carry on unchanged; later it has failed safe
 * and the group gave its vMACs away, so the new daemon starts as a new router.
 */
#ifndef VGW_ADOPT_H
#define VGW_ADOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "decide.h"
#include "vgw_common.h"

struct vgw_adopted {
	bool resume; /* the heartbeat had not expired: carry on with r */
	struct vgw_resume r;
	uint32_t pid;	  /* the dead daemon's */
	uint64_t gone_ms; /* since its last heartbeat */
};

/*
 * Whether the data plane left on the interface (pinned config, the MAC it
 * rewrites to) differs from what this run would set up. Writes one phrase
 * naming the first field that differs and both values, e.g.
 * "vmacs 8, the config says 6". Pure, for the unit tests.
 */
bool adopt_mismatch(const struct vgw_config *pinned, const struct vgw_cli *cli,
		    const uint8_t ifmac[6], char *why, size_t len);

/*
 * 1: vgw is not loaded on the interface (set it up); 0: a dead daemon's
 * data plane was adopted, *a says how; -1: refused (a live daemon, vgw load's
 * static setup, a half-removed data plane, other settings), one line printed.
 * now_ns: CLOCK_MONOTONIC.
 */
int vgw_adopt(const struct vgw_cli *cli, uint64_t now_ns, struct vgw_adopted *a);

#endif
