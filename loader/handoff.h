/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Connection handoff (--handoff-ms, --drain-ms): when a vMAC's window opens
 * and ends, when a graceful stop has waited long enough for the flows handed
 * to this router, and which of those flows are still open. The rules are
 * pure (data in, data out) for decide.c; the handoff_flows map is read in
 * maps.c (vgw_handoff_flows_count).
 */
#ifndef VGW_HANDOFF_H
#define VGW_HANDOFF_H

#include <stdbool.h>
#include <stdint.h>

#include "group.h"
#include "vgw_common.h"

/* A handed-off flow still counts this long after its last frame, and a closed one this long. */
#define VGW_HANDOFF_IDLE_MS   30000
#define VGW_HANDOFF_LINGER_MS 2000

/* One vMAC's window, as decide.c keeps it. */
struct vgw_handoff_window {
	uint32_t to; /* the previous owner's router id; 0: no window */
	uint8_t mac[6];
	uint64_t start_ms, until_ms;
	uint64_t sent_base; /* handoff_counters' sent_packets when it opened */
	bool relaying;	    /* the vMAC moved on: what its new owner hands here goes on (logged) */
};

enum vgw_handoff_end {
	VGW_HANDOFF_GOING = 0,
	VGW_HANDOFF_OVER,   /* the window's time is up */
	VGW_HANDOFF_GONE,   /* the previous owner fell silent past its hold time */
	VGW_HANDOFF_MOVED,  /* the vMAC went back to the router the window goes to */
	VGW_HANDOFF_OFF,    /* --handoff-ms 0 on a reload */
	VGW_HANDOFF_NO_TX,  /* handed-off frames cannot leave the interface now */
	VGW_HANDOFF_UNUSED, /* the vMAC left the pool (a reload shrank it) */
};

/*
 * vMAC gained at now from prev (NULL: no live router had it). Opens w and
 * returns true when prev is live (heard within its hold time less one hello,
 * so a router about to be given up on gets nothing) and named its MAC.
 */
bool handoff_open(struct vgw_handoff_window *w, const struct vgw_peer *prev, uint32_t window_ms,
		  uint64_t now);

/*
 * Why w ends now (vmac_state: this router's for the vMAC; owner: the router
 * that has it now, 0 none; tx_ok: frames can leave by XDP_TX), or
 * VGW_HANDOFF_GOING.
 */
enum vgw_handoff_end handoff_check(const struct vgw_handoff_window *w, const struct vgw_group *g,
				   uint8_t vmac_state, uint32_t owner, bool tx_ok,
				   uint32_t window_ms, uint64_t now);
const char *handoff_end_str(enum vgw_handoff_end why);

/*
 * A leaving router's count of the flows handed off to it says something only
 * once the new owners of its vMACs have had their chance to hand any: they
 * take the vMACs over when it lets them go (released_ms), and a host's next
 * frame of each connection must then reach them. The count must be read this
 * late (two hellos after the release, and at least VGW_HANDOFF_SETTLE_MS).
 */
#define VGW_HANDOFF_SETTLE_MS 1000
uint64_t handoff_settled_at(uint64_t released_ms, uint32_t hello_ms);

/* A graceful stop's drain as it stands: when it began and let go, the last count. */
struct vgw_drain {
	uint64_t started_ms, released_ms;
	uint32_t drain_ms; /* 0: no drain */
	uint32_t hello_ms;
	uint64_t flows_open; /* handed-off flows open at the last poll */
	uint64_t flows_at;   /* when that poll was */
};

enum vgw_drain_wait {
	VGW_DRAIN_DONE = 0, /* no flows open, or the time is up */
	VGW_DRAIN_FLOWS,    /* flows_open handed-off flows are still open */
	VGW_DRAIN_RECOUNT,  /* the count is older than handoff_settled_at: poll then */
};

/* Whether the graceful stop still waits at now, and for what. */
enum vgw_drain_wait handoff_draining(const struct vgw_drain *v, uint64_t now);

/* Whether a flow in handoff_flows still counts as open at now_ns. */
bool handoff_flow_open(const struct vgw_flow_seen *f, uint64_t now_ns);

#endif
