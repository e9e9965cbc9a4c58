// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <string.h>

#include "rebalance.h"

static uint64_t vmac_load(const struct vgw_rebalance_config *cfg, const struct vgw_vmac_rate *r)
{
	return cfg->on_packets ? r->pps : r->bps;
}

void rebalance_track(struct vgw_rebalance *rb, const struct vgw_group *g, uint64_t now)
{
	uint16_t v;

	for (v = 1; v <= g->cfg.n_vmacs && v < VGW_VMAC_SLOTS; v++) {
		struct rebalance_gain *h = rb->gains[v];

		if (g->owner[v] == rb->owner_seen[v])
			continue;
		if (g->owner[v]) {
			memmove(h + 1, h, (REBALANCE_GAINS - 1) * sizeof(*h));
			h[0] = (struct rebalance_gain){ g->owner[v], rb->owner_seen[v], now };
		}
		rb->owner_seen[v] = g->owner[v];
	}
}

uint16_t rebalance_not_to(const struct vgw_rebalance *rb, const struct vgw_group *g, uint16_t v,
			  uint32_t handoff_ms, uint64_t now)
{
	uint16_t not_to = 0, seen = 0;
	unsigned int k, r;

	for (k = 0; k < REBALANCE_GAINS && rb->gains[v][k].at; k++) {
		const struct rebalance_gain *h = &rb->gains[v][k];

		for (r = 0; r < g->n_members && g->members[r] != h->router; r++)
			;
		if (r == g->n_members || (seen >> r & 1))
			continue;
		seen |= 1u << r; /* a router's last gain is the window it has */
		if (h->router != g->owner[v] && h->from && h->from != g->owner[v] &&
		    now - h->at < handoff_ms)
			not_to |= 1u << r;
	}
	return not_to;
}

unsigned int rebalance_poll(struct vgw_rebalance *rb, const struct vgw_rebalance_config *cfg,
			    const struct vgw_group *g, uint64_t now, struct rebalance_round *out)
{
	static struct balance_input in; /* large; the daemon is single-threaded */
	uint64_t total_pps = 0;
	double worst = 0;
	unsigned int r, v, k;

	memset(out, 0, sizeof(*out));
	if (g->state != VGW_STATE_AVG || g->leaving || g->n_members < 2) {
		rb->off_since = 0;
		return 0;
	}
	memset(&in, 0, sizeof(in));
	in.n_routers = g->n_members;
	for (r = 0; r < in.n_routers; r++)
		in.routers[r] = (struct balance_router){ g->members[r], g->member_weights[r] };
	for (v = 1; v <= g->cfg.n_vmacs; v++) {
		total_pps += g->rates[v].pps;
		if (g->owner[v])
			in.vmacs[in.n_vmacs++] =
				(struct balance_vmac){ v, g->owner[v], vmac_load(cfg, &g->rates[v]),
						       now < rb->cooldown_until[v],
						       rebalance_not_to(rb, g, v, cfg->handoff_ms,
									now) };
	}
	in.target = cfg->weighted ? BALANCE_WEIGHTED : BALANCE_EQUAL;
	in.max_moves = cfg->max_moves;
	in.tolerance_pp = 1.0;
	out->n_routers = in.n_routers;
	balance_shares(&in, out->before, out->target);
	for (r = 0; r < in.n_routers; r++)
		worst = fmax(worst, fabs(out->before[r] - out->target[r]));
	/* a handful of packets makes any split look lopsided: no moves on noise */
	if (worst <= cfg->threshold_pp || total_pps < cfg->min_pps) {
		rb->off_since = 0;
		return 0;
	}
	if (!rb->off_since)
		rb->off_since = now;
	if (now - rb->off_since < cfg->hold_ms)
		return 0;
	rb->off_since = 0; /* the next round waits a hold time again: measurements catch up */
	balance_plan(&in, &out->plan);
	if (!out->plan.n_moves)
		return 0;
	for (k = 0; k < out->plan.n_moves; k++) {
		for (v = 0; v < in.n_vmacs; v++)
			if (in.vmacs[v].index == out->plan.moves[k].index)
				in.vmacs[v].owner = out->plan.moves[k].to;
		rb->cooldown_until[out->plan.moves[k].index] = now + cfg->cooldown_ms;
	}
	balance_shares(&in, out->after, out->target);
	out->number = ++rb->rounds;
	return out->plan.n_moves;
}
