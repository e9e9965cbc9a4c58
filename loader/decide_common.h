/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Inside decide_step: what decide.c shares with the files that each take one
 * of its concerns (decide_leave.c, decide_told.c, decide_handoff.c,
 * decide_publish.c). Not for other callers: decide.h is the interface.
 */
#ifndef VGW_DECIDE_COMMON_H
#define VGW_DECIDE_COMMON_H

#include "decide.h"
#include "log.h"

/* A log line, "vgw: IFACE: " and the text. */
void decide_say(const struct vgw_decide *d, struct vgw_decisions *out, enum vgw_log_level level,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* A --notify event; its role filled in here. */
void decide_event(const struct vgw_decide *d, struct vgw_decisions *out, struct vgw_event ev);

/* The vMACs a step's table gained, each with the router that had it (0: none). */
struct decide_gained {
	unsigned int n;
	uint16_t index[VGW_VMAC_SLOTS];
	uint32_t from[VGW_VMAC_SLOTS];
};

/* decide_leave.c: a graceful stop (SIGTERM, or the data plane gone) */
bool leave_asked(struct vgw_decide *d, const struct vgw_snapshot *s, struct vgw_decisions *out);
void leave_progress(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out);

/* decide_told.c: faults an operator hears of once */
void told_drop(struct vgw_decide *d, const struct vgw_snap_msg *m, int reason,
	       struct vgw_decisions *out);
void told_nd_faults(struct vgw_decide *d, const struct vgw_snapshot *s, struct vgw_decisions *out);
void told_mismatches(struct vgw_decide *d, struct vgw_decisions *out);

/* decide_handoff.c: connections that go on through a vMAC's previous router */
void handoff_windows_open(struct vgw_decide *d, const struct decide_gained *gained, uint64_t now,
			  struct vgw_decisions *out);
void handoff_windows(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out);

/* decide_publish.c: what goes out, in hellos and to vgw status */
void publish_hello(struct vgw_decide *d, struct vgw_decisions *out);
void publish_status(struct vgw_decide *d, struct vgw_decisions *out);

#endif
