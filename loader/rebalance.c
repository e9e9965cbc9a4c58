// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <string.h>

#include "rebalance.h"

static uint64_t vmac_load(const struct vgw_rebalance_config *cfg, const struct vgw_vmac_rate *r)
{
	return cfg->on_packets ? r->pps : r->bps;
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
			in.vmacs[in.n_vmacs++] = (struct balance_vmac){
				v, g->owner[v], vmac_load(cfg, &g->rates[v]),
				now < rb->cooldown_until[v] || group_held(g, v, now),
				group_barred(g, v, g->members, g->n_members, now)
			};
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
