// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A graceful stop: the router says it is leaving, others take its vMACs
 * (the AVG hands its role on once it owns none), and with --drain-ms the
 * connections handed off to it are waited for; or the deadline ends it.
 */
#include "decide_common.h"

static bool releasing_any(const struct vgw_group *g, uint64_t now)
{
	uint16_t i;

	for (i = 1; i <= g->cfg.n_vmacs; i++)
		if (group_vmac_state(g, i, now) == VGW_VMAC_RELEASING)
			return true;
	return false;
}

/*
 * With --drain-ms, connections other routers hand off to this one (it had
 * their vMACs) are waited for: once they end, or the time is up. A count read
 * before the new owners could hand anything back proves nothing: it is read
 * again once it can (a count of none then stopped with connections that were
 * about to be handed back, and the new owner sent them to a router gone).
 */
static bool draining(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out)
{
	struct vgw_drain v = {
		.started_ms = d->leave.started_ms,
		.released_ms = d->leave.released_ms,
		.drain_ms = d->conf.handoff_ms ? d->conf.drain_ms : 0,
		.hello_ms = d->conf.hello_ms,
		.flows_open = d->ho.flows_open,
		.flows_at = d->ho.flows_at,
	};
	uint32_t drain_ms = v.drain_ms;
	enum vgw_drain_wait how = handoff_draining(&v, now);
	bool wait = how == VGW_DRAIN_FLOWS;

	if (how == VGW_DRAIN_RECOUNT) {
		uint64_t settled = handoff_settled_at(v.released_ms, v.hello_ms);

		if (d->poll.next_ms > settled)
			d->poll.next_ms = settled;
		return true;
	}

	if (wait && !d->leave.drain_told) {
		decide_say(d, out, VGW_LOG_INFO,
			   "waiting up to %u ms for %llu connections handed off to this router",
			   drain_ms - (uint32_t)(now - d->leave.started_ms),
			   (unsigned long long)d->ho.flows_open);
		d->leave.drain_told = true;
	} else if (!wait && d->leave.drain_told) {
		if (d->ho.flows_open)
			decide_say(d, out, VGW_LOG_WARN,
				   "drain time over: stopping with %llu handed-off connections "
				   "still open",
				   (unsigned long long)d->ho.flows_open);
		else
			decide_say(d, out, VGW_LOG_INFO,
				   "the connections handed off to this router ended");
		d->leave.drain_told = false;
	}
	return wait;
}

/*
 * A graceful stop ends once others forward all our vMACs, the grace period is
 * over, and (--drain-ms) the connections handed back to us have ended.
 */
void leave_progress(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out)
{
	bool emptied = !group_owns_any(&d->g) && !releasing_any(&d->g, now);

	if (!d->leave.released_ms && !group_owns_any(&d->g))
		d->leave.released_ms = now;

	/* the list holds only peers heard within their hold time */
	if (!d->g.n_peers || now >= d->leave.deadline_ms) {
		if (d->g.n_peers)
			decide_say(d, out, VGW_LOG_WARN,
				   "stopping before the group took over all vMACs");
		if (d->leave.drain_told && d->ho.flows_open)
			decide_say(d, out, VGW_LOG_WARN,
				   "stopping with %llu handed-off connections still open",
				   (unsigned long long)d->ho.flows_open);
		d->stop = true;
	} else if (d->g.state == VGW_STATE_AVG && emptied) {
		group_handoff(&d->g);
		d->leave.avg_handed_ms = now;
	} else if (d->leave.avg_handed_ms && now - d->leave.avg_handed_ms >= 2 * d->conf.hello_ms) {
		d->stop = !draining(d, now, out);
	} else if (!d->leave.avg_handed_ms && d->g.state != VGW_STATE_AVG && emptied) {
		d->stop = !draining(d, now, out);
	}
}

/* Tell the group, and give it until the deadline. */
static void leave_begin(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out)
{
	decide_say(d, out, VGW_LOG_INFO, "leaving the group");
	group_leave(&d->g);
	decide_event(d, out, (struct vgw_event){ .kind = VGW_EVENT_LEAVING });
	d->leave.deadline_ms = now + 2 * d->conf.hold_ms + d->conf.grace_ms + 1000 +
			       (d->conf.handoff_ms ? d->conf.drain_ms : 0);
	d->leave.started_ms = now;
}

/*
 * SIGTERM, or the data plane gone (forwarding here is broken: the vMACs are
 * handed over, then the exit is an error). Whether a leave began now (its
 * hello goes out at once).
 */
bool leave_asked(struct vgw_decide *d, const struct vgw_snapshot *s, struct vgw_decisions *out)
{
	if (s->dataplane_gone && !d->dataplane_gone) {
		decide_say(d, out, VGW_LOG_WARN,
			   "error: vgw's XDP program or maps were removed or replaced under vgw "
			   "run; leaving the group");
		d->dataplane_gone = true;
	}
	if (!s->term && !(d->dataplane_gone && !d->g.leaving))
		return false;
	if (d->link_down) {
		d->stop = true; /* nobody to hand over to */
		return false;
	}
	if (d->g.leaving)
		return false;
	leave_begin(d, s->now, out);
	return true;
}
