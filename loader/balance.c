// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include <string.h>

#include "balance.h"
#include "vgw_steer.h"

/*
 * Deviations are kept exact, as vgw_steer_dev() defines them (w_r = 1 for
 * equal targets). Shares in percent are only for reporting.
 */
struct state {
	const struct balance_input *in;
	int64_t load[VGW_MAX_ROUTERS];
	int64_t w[VGW_MAX_ROUTERS];
	int64_t wsum, lsum;
	int owner[VGW_MAX_VMACS]; /* router position of each vMAC */
};

struct score {
	int64_t worst; /* max |dev| */
	int64_t total; /* sum |dev| */
};

static int router_pos(const struct balance_input *in, uint32_t id)
{
	unsigned int r;

	for (r = 0; r < in->n_routers; r++)
		if (in->routers[r].id == id)
			return (int)r;
	return -1;
}

static void state_init(struct state *s, const struct balance_input *in)
{
	unsigned int r, v;

	memset(s, 0, sizeof(*s));
	s->in = in;
	for (r = 0; r < in->n_routers; r++) {
		s->w[r] = in->target == BALANCE_WEIGHTED ? (in->routers[r].weight ?: 1) : 1;
		s->wsum += s->w[r];
	}
	for (v = 0; v < in->n_vmacs; v++) {
		s->owner[v] = router_pos(in, in->vmacs[v].owner);
		if (s->owner[v] >= 0)
			s->load[s->owner[v]] += (int64_t)in->vmacs[v].load;
		s->lsum += (int64_t)in->vmacs[v].load;
	}
}

static int64_t dev(const struct state *s, unsigned int r)
{
	return vgw_steer_dev(s->load[r], s->w[r], s->wsum, s->lsum);
}

static struct score score_of(const struct state *s)
{
	struct score sc = { 0, 0 };
	unsigned int r;

	for (r = 0; r < s->in->n_routers; r++) {
		int64_t d = llabs(dev(s, r));

		sc.total += d;
		if (d > sc.worst)
			sc.worst = d;
	}
	return sc;
}

static bool better(struct score a, struct score b)
{
	return a.worst != b.worst ? a.worst < b.worst : a.total < b.total;
}

static double pp(const struct state *s, int64_t d)
{
	return s->lsum && s->wsum ? 100.0 * (double)d / ((double)s->lsum * (double)s->wsum) : 0.0;
}

void balance_shares(const struct balance_input *in, double *share, double *target)
{
	struct state s;
	unsigned int r;

	state_init(&s, in);
	for (r = 0; r < in->n_routers; r++) {
		share[r] = s.lsum ? 100.0 * (double)s.load[r] / (double)s.lsum : 0.0;
		target[r] = 100.0 * (double)s.w[r] / (double)s.wsum;
	}
}

struct search {
	struct state s;
	int64_t tolerance; /* in deviation units */
	struct balance_move cur[BALANCE_MAX_MOVES];
	struct balance_move best[BALANCE_MAX_MOVES];
	unsigned int n_best;
	struct score best_score;
	unsigned long budget;		  /* evaluations left; large inputs keep the best found */
	int64_t max_out[VGW_MAX_ROUTERS]; /* the largest load a move can take off each router */
	int64_t max_in;			  /* ... or bring to any */
};

/* ceil(need / step) for need > 0, step > 0 */
static int64_t moves_for(int64_t need, int64_t step)
{
	return step > 0 ? (need + step - 1) / step : INT64_MAX / 4;
}

/*
 * Branch and bound: to beat the best set, every router must end within its
 * worst deviation. One move takes at most max_out[r] off router r and brings
 * at most max_in to one, so if the routers above that bound need more moves
 * than are left (or those below it do), nothing below this node can win.
 * Exact: it only skips what could not be chosen.
 */
static bool hopeless(const struct search *x, unsigned int left)
{
	int64_t over = 0, under = 0, bound = x->best_score.worst;
	unsigned int r;

	for (r = 0; r < x->s.in->n_routers; r++) {
		int64_t d = dev(&x->s, r);

		if (d > bound)
			over += moves_for(d - bound, x->max_out[r] * x->s.wsum);
		else if (-d > bound)
			under += moves_for(-d - bound, x->max_in * x->s.wsum);
	}
	return over > (int64_t)left || under > (int64_t)left;
}

/* Extend the current set with moves of vMACs after position first, in index order. */
static void dfs(struct search *x, unsigned int depth, unsigned int first)
{
	const struct balance_input *in = x->s.in;
	unsigned int v, r;

	if (hopeless(x, in->max_moves - depth))
		return;
	for (v = first; v < in->n_vmacs && x->budget; v++) {
		int from = x->s.owner[v];
		int64_t load = (int64_t)in->vmacs[v].load;

		/* only moves off a router above its target can help; empty ones never do */
		if (in->vmacs[v].frozen || from < 0 || load == 0 || dev(&x->s, from) <= 0)
			continue;
		for (r = 0; r < in->n_routers && x->budget; r++) {
			struct score sc;

			if ((int)r == from || dev(&x->s, r) >= 0 || (in->vmacs[v].not_to >> r & 1))
				continue;
			x->budget--;
			x->s.load[from] -= load;
			x->s.load[r] += load;
			x->s.owner[v] = r;
			x->cur[depth] =
				(struct balance_move){ in->vmacs[v].index, in->routers[from].id,
						       in->routers[r].id };
			sc = score_of(&x->s);
			/* strictly better only: at equal score the shorter set, found first,
			 * stays; a longer set must beat a shorter best by the tolerance */
			if (depth + 1 > x->n_best && x->n_best &&
			    sc.worst > x->best_score.worst - x->tolerance)
				;
			else if (better(sc, x->best_score) ||
				 (!better(x->best_score, sc) && depth + 1 < x->n_best)) {
				x->best_score = sc;
				x->n_best = depth + 1;
				memcpy(x->best, x->cur, x->n_best * sizeof(x->cur[0]));
			}
			if (depth + 1 < in->max_moves)
				dfs(x, depth + 1, v + 1);
			x->s.owner[v] = from;
			x->s.load[r] -= load;
			x->s.load[from] += load;
		}
	}
}

void balance_plan(const struct balance_input *in, struct balance_plan *out)
{
	struct search x;
	unsigned int depth, v;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	state_init(&x.s, in);
	x.tolerance = (int64_t)(in->tolerance_pp / 100.0 * (double)x.s.lsum * (double)x.s.wsum);
	x.best_score = score_of(&x.s);
	x.n_best = 0;
	out->worst_before = out->worst_after = pp(&x.s, x.best_score.worst);
	if (in->n_routers < 2 || !x.s.lsum || !in->max_moves)
		return;
	for (v = 0; v < in->n_vmacs; v++) {
		int64_t load = (int64_t)in->vmacs[v].load;
		int owner = x.s.owner[v];

		if (in->vmacs[v].frozen || owner < 0)
			continue;
		if (load > x.max_out[owner])
			x.max_out[owner] = load;
		if (load > x.max_in)
			x.max_in = load;
	}
	/* breadth first by depth, so a shorter set is always seen before a longer one */
	for (depth = 1; depth <= in->max_moves && depth <= BALANCE_MAX_MOVES; depth++) {
		struct balance_input limited = *in;

		limited.max_moves = depth;
		x.s.in = &limited;
		x.budget = 2000000;
		dfs(&x, 0, 0);
		x.s.in = in;
	}
	out->n_moves = x.n_best;
	memcpy(out->moves, x.best, x.n_best * sizeof(x.best[0]));
	out->worst_after = pp(&x.s, x.best_score.worst);
}

int balance_least_loaded(const struct balance_input *in, const uint64_t *extra)
{
	struct vgw_steer_sums sums;
	unsigned int r, v;
	__u32 best;

	if (in->n_routers > VGW_MAX_ROUTERS || in->n_vmacs > VGW_MAX_VMACS)
		return -1;
	vgw_steer_sums_init(&sums);
	for (r = 0; r < in->n_routers; r++)
		sums.weight[r] = in->target == BALANCE_WEIGHTED ? (in->routers[r].weight ?: 1) : 1;
	/* keys are positions + 1: 0 is "none" */
	for (v = 0; v < in->n_vmacs; v++) {
		int owner = router_pos(in, in->vmacs[v].owner);

		if (owner >= 0)
			vgw_steer_add(&sums, v + 1, owner,
				      (int64_t)(in->vmacs[v].load + (extra ? extra[v] : 0)));
	}
	vgw_steer_router(&sums);
	best = vgw_steer_least(&sums);
	return best ? (int)best - 1 : -1;
}
