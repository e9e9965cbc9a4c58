// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What a step sends out: the hello (with this router's rates) and vgw status's view. */
#include <string.h>

#include "decide_common.h"

/*
 * The rates of this router's vMACs, as many as fit, starting where the last
 * hello stopped: with more than fit in one (about 70 with a full table), each
 * vMAC is still reported every few hellos.
 */
static void add_rates(struct vgw_decide *d, struct vgw_hello *h)
{
	unsigned int room = hello_rates_room(h, d->key.len > 0), k;
	uint16_t n = d->conf.n_vmacs, i = d->tx.rates_cursor;

	for (k = 0; k < n && h->n_rates < room; k++) {
		i = i % n + 1; /* 1..n, wrapping */
		if (d->g.owner[i] == d->self_id)
			h->rates[h->n_rates++] =
				(struct vgw_hello_rate){ i, (uint32_t)d->g.rates[i].pps,
							 d->g.rates[i].bps };
		d->tx.rates_cursor = i;
	}
}

void publish_hello(struct vgw_decide *d, struct vgw_decisions *out)
{
	struct vgw_hello *h = &out->hello;

	group_hello(&d->g, h);
	h->seq = ++d->tx.seq;
	add_rates(d, h);
	out->send_hello = true;
	d->tx.epoch = d->g.epoch;
}

void publish_status(struct vgw_decide *d, struct vgw_decisions *out)
{
	const struct vgw_group *g = &d->g;
	struct vgw_daemon_status *st = &out->status;
	unsigned int i;

	st->daemon = 1;
	st->role = g->state;
	memcpy(st->avg_id, &g->avg_id, 4);
	st->target_weighted = d->conf.target_weighted;
	st->balance_on_packets = d->conf.balance_on_packets;
	st->hello_ms = d->conf.hello_ms;
	st->hold_ms = d->conf.hold_ms;
	st->poll_ms = d->conf.poll_ms;
	st->pid = d->pid;
	out->params.avg = g->state == VGW_STATE_AVG;
	out->params.lb_method = d->conf.lb;
	out->params.host_load = d->poll.host_load;
	memcpy(out->routers[0].id, &d->self_id, 4);
	out->routers[0].priority = d->conf.priority;
	out->routers[0].weight = g->weight;
	out->routers[0].state = g->state;
	out->routers[0].live = 1;
	out->routers[0].outvoted = g->outvoted;
	for (i = 0; i < g->n_peers && i + 1 < VGW_MAX_ROUTERS; i++) {
		const struct vgw_peer *p = &g->peers[i];
		struct vgw_router_info *r = &out->routers[i + 1];

		memcpy(r->id, &p->id, 4);
		r->priority = p->priority;
		r->weight = p->weight;
		r->state = p->state;
		r->live = 1;
		r->heard_ms = p->heard_ms;
		r->mismatch = group_mismatch(g, p);
	}
	memcpy(out->rates, g->rates, sizeof(out->rates));
	out->counters = d->counters;
	out->run = d->run;
	if (g->state != d->seen.role) {
		decide_say(d, out, VGW_LOG_INFO, "role %s", group_state_name(g->state));
		decide_event(
			d, out,
			(struct vgw_event){ .kind = VGW_EVENT_ROLE, .prev_role = d->seen.role });
	}
	d->seen.role = g->state;
}
