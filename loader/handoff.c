// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>

#include "handoff.h"

bool handoff_open(struct vgw_handoff_window *w, const struct vgw_peer *prev, uint32_t window_ms,
		  uint64_t now)
{
	memset(w, 0, sizeof(*w));
	if (!window_ms || !prev || !prev->has_mac || prev->state == VGW_STATE_INIT)
		return false;
	/* one hello may be lost; a router later than that may be dead already */
	if (now - prev->heard_ms + prev->hello_ms >= prev->hold_ms)
		return false;
	w->to = prev->id;
	memcpy(w->mac, prev->mac, 6);
	w->start_ms = now;
	w->until_ms = now + window_ms;
	return true;
}

enum vgw_handoff_end handoff_check(const struct vgw_handoff_window *w, const struct vgw_group *g,
				   uint8_t vmac_state, uint32_t owner, bool tx_ok,
				   uint32_t window_ms, uint64_t now)
{
	if (!window_ms)
		return VGW_HANDOFF_OFF;
	if (!tx_ok)
		return VGW_HANDOFF_NO_TX;
	/*
	 * Still reaching us while releasing (the switch has not relearned it), the
	 * window holds; moved on, it holds too: the new owner hands the unknown
	 * flows here, and those of the window live at its router, not here (the
	 * data plane passes them on). Unless the vMAC went back there.
	 */
	if (vmac_state == VGW_VMAC_UNUSED)
		return VGW_HANDOFF_UNUSED;
	if (vmac_state == VGW_VMAC_FOREIGN && owner == w->to)
		return VGW_HANDOFF_MOVED;
	if (!group_peer(g, w->to))
		return VGW_HANDOFF_GONE;
	if (now >= w->until_ms)
		return VGW_HANDOFF_OVER;
	return VGW_HANDOFF_GOING;
}

const char *handoff_end_str(enum vgw_handoff_end why)
{
	switch (why) {
	case VGW_HANDOFF_OVER:
		return "the window is over";
	case VGW_HANDOFF_GONE:
		return "that router is gone";
	case VGW_HANDOFF_MOVED:
		return "the vMAC went back to that router";
	case VGW_HANDOFF_OFF:
		return "handoff turned off";
	case VGW_HANDOFF_NO_TX:
		return "handed-off frames cannot leave the interface";
	case VGW_HANDOFF_UNUSED:
		return "the vMAC left the pool";
	default:
		return "going on";
	}
}

uint64_t handoff_settled_at(uint64_t released_ms, uint32_t hello_ms)
{
	uint64_t settle = 2 * (uint64_t)hello_ms;

	return released_ms + (settle > VGW_HANDOFF_SETTLE_MS ? settle : VGW_HANDOFF_SETTLE_MS);
}

enum vgw_drain_wait handoff_draining(const struct vgw_drain *v, uint64_t now)
{
	if (!v->drain_ms || now >= v->started_ms + v->drain_ms)
		return VGW_DRAIN_DONE;
	if (v->flows_at < handoff_settled_at(v->released_ms, v->hello_ms))
		return VGW_DRAIN_RECOUNT;
	return v->flows_open ? VGW_DRAIN_FLOWS : VGW_DRAIN_DONE;
}

bool handoff_flow_open(const struct vgw_flow_seen *f, uint64_t now_ns)
{
	uint64_t age = now_ns > f->last_ns ? now_ns - f->last_ns : 0;

	return age < (f->closed ? VGW_HANDOFF_LINGER_MS : VGW_HANDOFF_IDLE_MS) * 1000000ULL;
}
