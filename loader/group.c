// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"

/* (priority, router id): the higher wins an election. */
static bool outranks(uint8_t prio_a, uint32_t id_a, uint8_t prio_b, uint32_t id_b)
{
	return prio_a != prio_b ? prio_a > prio_b : ntohl(id_a) > ntohl(id_b);
}

void group_init(struct vgw_group *g, const struct vgw_group_config *cfg, uint64_t now)
{
	struct vgw_group_config c = *cfg; /* cfg may be g's own: a restart */

	memset(g, 0, sizeof(*g));
	g->cfg = c;
	g->state = VGW_STATE_LISTEN;
	g->weight = cfg->weight;
	g->eligible = true;
	g->started_ms = now;
}

void group_resume(struct vgw_group *g, uint8_t state, uint32_t avg_id, const uint32_t *owner,
		  uint64_t now)
{
	uint16_t i;

	/* an INIT or LEAVING predecessor had nothing the group counts on */
	if (state != VGW_STATE_LISTEN && state != VGW_STATE_STANDBY && state != VGW_STATE_AVG)
		return;
	g->state = state;
	g->avg_id = state == VGW_STATE_AVG ? g->cfg.self_id : avg_id;
	for (i = 1; i <= g->cfg.n_vmacs; i++)
		g->owner[i] = owner[i];
	g->resumed_until_ms = now + g->cfg.hold_ms;
}

static struct vgw_peer *peer_find(struct vgw_group *g, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < g->n_peers; i++)
		if (g->peers[i].id == id)
			return &g->peers[i];
	return NULL;
}

/* Take owner as the new table; a vMAC this router loses is released, not dropped at once. */
static void table_set(struct vgw_group *g, const uint32_t *owner, uint64_t now)
{
	uint32_t self = g->cfg.self_id;
	uint16_t i;

	for (i = 1; i <= g->cfg.n_vmacs; i++) {
		if (g->owner[i] == self && owner[i] != self)
			g->release_until[i] = now + g->cfg.release_grace_ms;
		if (owner[i] == self)
			g->release_until[i] = 0;
		if (owner[i] && owner[i] != g->owner[i]) {
			memmove(g->gains[i] + 1, g->gains[i],
				(VGW_GAINS - 1) * sizeof(g->gains[i][0]));
			g->gains[i][0] = (struct vgw_gain){ owner[i], g->owner[i], now };
		}
		g->owner[i] = owner[i];
	}
}

uint16_t group_barred(const struct vgw_group *g, uint16_t v, const uint32_t *ids, unsigned int n,
		      uint64_t now)
{
	uint16_t barred = 0, seen = 0;
	unsigned int k, r;

	if (!g->cfg.handoff_ms || v == 0 || v > VGW_MAX_VMACS)
		return 0;
	for (k = 0; k < VGW_GAINS && g->gains[v][k].at; k++) {
		const struct vgw_gain *h = &g->gains[v][k];

		for (r = 0; r < n && r < VGW_MAX_ROUTERS && ids[r] != h->router; r++)
			;
		if (r == n || r == VGW_MAX_ROUTERS || (seen >> r & 1))
			continue;
		seen |= 1u << r; /* a router's last gain is the window it has */
		if (h->router != g->owner[v] && h->from && h->from != g->owner[v] &&
		    now - h->at < g->cfg.handoff_ms)
			barred |= 1u << r;
	}
	return barred;
}

/* The router router's last gain of v opened a window to, if it may still be open; else 0. */
static uint32_t window_of(const struct vgw_group *g, uint16_t v, uint32_t router, uint64_t now)
{
	unsigned int k;

	for (k = 0; k < VGW_GAINS && g->gains[v][k].at; k++)
		if (g->gains[v][k].router == router)
			return now - g->gains[v][k].at < g->cfg.handoff_ms ? g->gains[v][k].from
									   : 0;
	return 0;
}

bool group_held(const struct vgw_group *g, uint16_t v, uint64_t now)
{
	uint32_t first, second;

	if (!g->cfg.handoff_ms || v == 0 || v > VGW_MAX_VMACS || !g->owner[v])
		return false;
	first = window_of(g, v, g->owner[v], now);
	second = first ? window_of(g, v, first, now) : 0;
	return second && second != g->owner[v];
}

static void adopt_table(struct vgw_group *g, const struct vgw_hello_ownership *o, uint64_t now)
{
	uint32_t owner[VGW_MAX_VMACS + 1] = { 0 };
	uint16_t i;

	for (i = 1; i <= g->cfg.n_vmacs && i <= o->n_vmacs; i++)
		owner[i] = o->owner[i] == VGW_OWNER_NONE ? 0 : o->routers[o->owner[i]];
	table_set(g, owner, now);
	g->epoch = o->epoch;
}

const struct vgw_peer *group_peer(const struct vgw_group *g, uint32_t id)
{
	return peer_find((struct vgw_group *)g, id);
}

const char *group_state_name(uint8_t state)
{
	static const char *const names[] = { "init", "listen", "standby", "avg", "leaving" };

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

const char *group_vmac_state_name(uint8_t state)
{
	switch (state) {
	case VGW_VMAC_OWNED:
		return "owned";
	case VGW_VMAC_FOREIGN:
		return "foreign";
	case VGW_VMAC_RELEASING:
		return "releasing";
	default:
		return "unused";
	}
}

/* A forgotten peer's last sequence number, or 0; taken out of the list when asked. */
static uint64_t forgotten_seq(struct vgw_group *g, uint32_t id, bool take)
{
	unsigned int i, n = g->n_forgotten < VGW_MAX_ROUTERS ? g->n_forgotten : VGW_MAX_ROUTERS;

	for (i = 0; i < n; i++)
		if (g->forgotten[i].id == id) {
			uint64_t seq = g->forgotten[i].last_seq;

			if (take)
				g->forgotten[i].id = 0;
			return seq;
		}
	return 0;
}

/* Whether two routers serve the same virtual addresses, IPv4 and IPv6. */
static bool same_vips(uint32_t vip, const uint8_t *vip6, const uint8_t *vip6_global,
		      const struct vgw_peer *q)
{
	return q->vip == vip && !memcmp(q->vip6, vip6, 16) &&
	       !memcmp(q->vip6_global, vip6_global, 16);
}

unsigned int group_mismatch(const struct vgw_group *g, const struct vgw_peer *p)
{
	unsigned int m = 0;

	if (!p->has_params)
		return 0;
	if (!same_vips(g->cfg.vip, g->cfg.vip6, g->cfg.vip6_global, p))
		m |= VGW_MISMATCH_VIP;
	if (p->n_vmacs != g->cfg.n_vmacs)
		m |= VGW_MISMATCH_VMACS;
	if (p->hello_ms != g->cfg.hello_ms)
		m |= VGW_MISMATCH_HELLO;
	if (p->hold_ms != g->cfg.hold_ms)
		m |= VGW_MISMATCH_HOLD;
	return m;
}

/*
 * Routers may run with other timers (each advertises its own hold time), but
 * a router with another vIP or pool would answer ARP for the wrong address or
 * be handed vMACs it does not have.
 */
static bool peer_agrees(const struct vgw_group *g, const struct vgw_peer *p)
{
	return !(group_mismatch(g, p) & (VGW_MISMATCH_VIP | VGW_MISMATCH_VMACS));
}

int group_receive(struct vgw_group *g, const struct vgw_hello *h, uint64_t now)
{
	struct vgw_peer *p;

	if (h->router_id == g->cfg.self_id)
		return 0;
	p = peer_find(g, h->router_id);
	if (!p && h->seq <= forgotten_seq(g, h->router_id, false)) {
		g->drops[VGW_DROP_REPLAY]++;
		return VGW_DROP_REPLAY;
	}
	if (!p) {
		if (g->n_peers == sizeof(g->peers) / sizeof(g->peers[0])) {
			g->drops[VGW_DROP_TOO_MANY_PEERS]++;
			return VGW_DROP_TOO_MANY_PEERS;
		}
		forgotten_seq(g, h->router_id, true);
		p = &g->peers[g->n_peers++];
		memset(p, 0, sizeof(*p));
		p->id = h->router_id;
	} else if (h->seq <= p->last_seq) {
		g->drops[VGW_DROP_REPLAY]++;
		return VGW_DROP_REPLAY;
	}
	p->priority = h->priority;
	p->weight = h->weight;
	p->state = h->state;
	p->hold_ms = h->hold_ms ? h->hold_ms : g->cfg.hold_ms;
	p->hello_ms = h->hello_ms;
	p->has_params = h->has_params;
	p->vip = h->vip;
	memcpy(p->vip6, h->vip6, 16); /* zero when the hello had none */
	memcpy(p->vip6_global, h->vip6_global, 16);
	p->n_vmacs = h->n_vmacs;
	p->has_mac = h->has_mac;
	memcpy(p->mac, h->mac, 6);
	p->last_seq = h->seq;
	p->heard_ms = now;
	for (unsigned int i = 0; i < h->n_rates; i++)
		if (h->rates[i].index <= g->cfg.n_vmacs)
			g->rates[h->rates[i].index] =
				(struct vgw_vmac_rate){ h->rates[i].pps, h->rates[i].bps };

	/*
	 * Our AVG says it is not the AVG any more: it left (handed over), or a
	 * stall made it rejoin as a listener. Nobody else would notice, as it is
	 * not silent: the standby takes over now, not never.
	 */
	if (h->state != VGW_STATE_AVG && g->avg_id == h->router_id)
		g->avg_id = 0;
	/* the table of an AVG with other settings is not this group's */
	if (h->state != VGW_STATE_AVG || !h->has_ownership || !peer_agrees(g, p))
		return 0;
	if (g->state == VGW_STATE_AVG) {
		/* two AVGs: the lower one steps down and takes the other's table */
		if (!outranks(h->priority, h->router_id, g->cfg.priority, g->cfg.self_id))
			return 0;
		g->state = VGW_STATE_LISTEN;
	}
	g->avg_id = h->router_id;
	adopt_table(g, &h->own, now);
	return 0;
}

static void expire_peers(struct vgw_group *g, uint64_t now)
{
	unsigned int i = 0;

	while (i < g->n_peers) {
		struct vgw_peer *p = &g->peers[i];

		if (now - p->heard_ms <= p->hold_ms) {
			i++;
			continue;
		}
		if (g->avg_id == p->id)
			g->avg_id = 0;
		g->forgotten[g->n_forgotten % VGW_MAX_ROUTERS].id = p->id;
		g->forgotten[g->n_forgotten % VGW_MAX_ROUTERS].last_seq = p->last_seq;
		g->n_forgotten++;
		memmove(p, p + 1, (g->n_peers - i - 1) * sizeof(*p));
		g->n_peers--;
	}
}

/* GLBP's weighting: below the lower threshold out, above the upper back in. */
static void update_eligibility(struct vgw_group *g)
{
	if (g->cfg.weight_lower && g->weight < g->cfg.weight_lower)
		g->eligible = false;
	else if (!g->cfg.weight_upper || g->weight > g->cfg.weight_upper || !g->cfg.weight_lower)
		g->eligible = true;
}

static uint8_t advertised_weight(const struct vgw_group *g)
{
	return g->eligible && !g->leaving && !g->outvoted ? g->weight : 0;
}

/*
 * The group's settings are those of the most routers (on a tie, of the best
 * router by priority and id). A router whose own settings are not the
 * group's stands aside: it owns nothing and takes no role, so it never
 * answers ARP for a vIP that is not the group's.
 */
static bool peer_candidate(const struct vgw_group *g, const struct vgw_peer *p)
{
	return p->state != VGW_STATE_LEAVING && peer_agrees(g, p);
}

static bool outvoted(const struct vgw_group *g)
{
	unsigned int i, k, mine = 1, theirs;
	uint8_t my_prio = g->cfg.priority, their_prio;
	uint32_t my_best = g->cfg.self_id, their_best;

	for (i = 0; i < g->n_peers; i++) {
		const struct vgw_peer *p = &g->peers[i];

		if (peer_candidate(g, p)) {
			mine++;
			if (outranks(p->priority, p->id, my_prio, my_best))
				my_prio = p->priority, my_best = p->id;
		}
	}
	for (i = 0; i < g->n_peers; i++) {
		const struct vgw_peer *p = &g->peers[i];

		if (p->state == VGW_STATE_LEAVING || peer_agrees(g, p))
			continue;
		theirs = 0;
		their_prio = 0;
		their_best = 0;
		for (k = 0; k < g->n_peers; k++) {
			const struct vgw_peer *q = &g->peers[k];

			if (q->state == VGW_STATE_LEAVING || !q->has_params ||
			    !same_vips(p->vip, p->vip6, p->vip6_global, q) ||
			    q->n_vmacs != p->n_vmacs)
				continue;
			theirs++;
			if (!their_best || outranks(q->priority, q->id, their_prio, their_best))
				their_prio = q->priority, their_best = q->id;
		}
		if (theirs > mine ||
		    (theirs == mine && outranks(their_prio, their_best, my_prio, my_best)))
			return true;
	}
	return false;
}

/* The live router with the best (priority, id) among those in state (any if 0), self included. */
static uint32_t best_router(const struct vgw_group *g, uint8_t state, bool with_self,
			    uint32_t exclude)
{
	uint32_t best = 0;
	uint8_t best_prio = 0;
	unsigned int i;

	if (with_self && !g->leaving && g->cfg.self_id != exclude) {
		best = g->cfg.self_id;
		best_prio = g->cfg.priority;
	}
	for (i = 0; i < g->n_peers; i++) {
		const struct vgw_peer *p = &g->peers[i];

		if (!peer_candidate(g, p) || p->id == exclude || (state && p->state != state))
			continue;
		if (!best || outranks(p->priority, p->id, best_prio, best)) {
			best = p->id;
			best_prio = p->priority;
		}
	}
	return best;
}

static void become_avg(struct vgw_group *g)
{
	g->state = VGW_STATE_AVG;
	g->avg_id = g->cfg.self_id;
	g->preempt_since_ms = 0;
}

static uint8_t avg_priority(const struct vgw_group *g)
{
	const struct vgw_peer *p;
	unsigned int i;

	for (i = 0; i < g->n_peers; i++) {
		p = &g->peers[i];
		if (p->id == g->avg_id)
			return p->priority;
	}
	return 0;
}

static void elect(struct vgw_group *g, uint64_t now)
{
	uint32_t self = g->cfg.self_id;

	if (g->state == VGW_STATE_AVG || g->leaving || now < g->resumed_until_ms)
		return;
	if (now - g->started_ms < g->cfg.hold_ms) {
		/* a router that just started learns the group before it claims any role */
		g->state = VGW_STATE_LISTEN;
		return;
	}
	if (!g->avg_id) {
		/* the standby takes over at once; otherwise the best, after listening a hold time
		 */
		uint32_t standby = best_router(g, VGW_STATE_STANDBY, false, 0);

		if (g->state == VGW_STATE_STANDBY ||
		    (!standby && now - g->started_ms >= g->cfg.hold_ms &&
		     best_router(g, 0, true, 0) == self)) {
			become_avg(g);
			return;
		}
	} else if (g->cfg.preempt && outranks(g->cfg.priority, self, avg_priority(g), g->avg_id)) {
		if (!g->preempt_since_ms)
			g->preempt_since_ms = now;
		if (now - g->preempt_since_ms >= g->cfg.preempt_delay_ms) {
			become_avg(g);
			return;
		}
	} else {
		g->preempt_since_ms = 0;
	}
	g->state =
		best_router(g, 0, true, g->avg_id) == self ? VGW_STATE_STANDBY : VGW_STATE_LISTEN;
}

static int by_pair(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Whether ids/weights (sorted by id here) differ from the last membership; records them. */
static bool membership_changed(struct vgw_group *g, uint32_t *ids, uint8_t *weights, unsigned int n)
{
	uint64_t pairs[VGW_MAX_ROUTERS];
	unsigned int i;
	bool changed;

	/* sort (id, weight) pairs by id, keeping each weight with its router */
	for (i = 0; i < n; i++)
		pairs[i] = (uint64_t)ntohl(ids[i]) << 8 | weights[i];
	qsort(pairs, n, sizeof(pairs[0]), by_pair);
	for (i = 0; i < n; i++) {
		ids[i] = htonl((uint32_t)(pairs[i] >> 8));
		weights[i] = pairs[i] & 0xff;
	}
	changed = n != g->n_members || memcmp(ids, g->members, n * sizeof(*ids)) ||
		  memcmp(weights, g->member_weights, n);
	g->n_members = n;
	memcpy(g->members, ids, n * sizeof(*ids));
	memcpy(g->member_weights, weights, n);
	return changed;
}

static bool has_orphans(const struct vgw_group *g)
{
	uint16_t v;
	unsigned int i;

	for (v = 1; v <= g->cfg.n_vmacs; v++) {
		for (i = 0; i < g->n_members && g->members[i] != g->owner[v]; i++)
			;
		if (i == g->n_members)
			return true;
	}
	return false;
}

static void reassign(struct vgw_group *g, uint64_t now)
{
	uint32_t ids[VGW_MAX_ROUTERS], owner[VGW_MAX_VMACS + 1];
	uint16_t barred[VGW_MAX_VMACS + 1];
	bool held[VGW_MAX_VMACS + 1];
	uint8_t weights[VGW_MAX_ROUTERS];
	unsigned int n = 0, i;
	uint16_t v;

	if (advertised_weight(g)) {
		ids[n] = g->cfg.self_id;
		weights[n++] = g->weight;
	}
	for (i = 0; i < g->n_peers; i++)
		if (peer_candidate(g, &g->peers[i]) && g->peers[i].weight) {
			ids[n] = g->peers[i].id;
			weights[n++] = g->peers[i].weight;
		}
	if (!n && !g->leaving) {
		/* everyone is below its threshold: forwarding beats dropping */
		ids[n] = g->cfg.self_id;
		weights[n++] = 1;
	}
	/* share out by count only when routers come, go or change weight, or a vMAC
	 * lost its owner: in between, the balancer's moves stand */
	if (!membership_changed(g, ids, weights, n) && !has_orphans(g))
		return;
	memcpy(owner, g->owner, sizeof(owner));
	for (v = 1; v <= g->cfg.n_vmacs; v++) {
		barred[v] = group_barred(g, v, ids, n, now);
		held[v] = group_held(g, v, now);
	}
	if (n && assign_vmacs(ids, weights, n, g->cfg.n_vmacs, owner, barred, held)) {
		table_set(g, owner, now);
		g->epoch++;
	}
}

void group_move(struct vgw_group *g, uint16_t index, uint32_t to, uint64_t now)
{
	uint32_t owner[VGW_MAX_VMACS + 1];

	if (index == 0 || index > g->cfg.n_vmacs || g->owner[index] == to)
		return;
	memcpy(owner, g->owner, sizeof(owner));
	owner[index] = to;
	table_set(g, owner, now);
	g->epoch++;
}

void group_tick(struct vgw_group *g, uint64_t now)
{
	expire_peers(g, now);
	update_eligibility(g);
	g->outvoted = outvoted(g);
	if (g->outvoted) {
		uint32_t none[VGW_MAX_VMACS + 1] = { 0 };

		if (g->state == VGW_STATE_AVG || g->state == VGW_STATE_STANDBY)
			g->state = VGW_STATE_LISTEN;
		if (g->avg_id == g->cfg.self_id)
			g->avg_id = 0;
		table_set(g, none, now); /* what it had is released, make-before-break */
		return;
	}
	elect(g, now);
	if (g->state == VGW_STATE_AVG && now >= g->resumed_until_ms)
		reassign(g, now);
}

void group_leave(struct vgw_group *g)
{
	g->leaving = true;
	if (g->state != VGW_STATE_AVG)
		g->state = VGW_STATE_LEAVING;
}

void group_handoff(struct vgw_group *g)
{
	g->state = VGW_STATE_LEAVING;
	g->avg_id = 0;
}

bool group_owns_any(const struct vgw_group *g)
{
	uint16_t i;

	for (i = 1; i <= g->cfg.n_vmacs; i++)
		if (g->owner[i] == g->cfg.self_id)
			return true;
	return false;
}

void group_hello(const struct vgw_group *g, struct vgw_hello *out)
{
	struct vgw_hello_ownership *o = &out->own;
	uint16_t i;

	memset(out, 0, sizeof(*out));
	out->group = g->cfg.group;
	out->router_id = g->cfg.self_id;
	out->priority = g->cfg.priority;
	out->weight = advertised_weight(g);
	out->state = g->state;
	out->hello_ms = g->cfg.hello_ms;
	out->hold_ms = g->cfg.hold_ms;
	out->has_params = true;
	out->vip = g->cfg.vip;
	memcpy(out->vip6, g->cfg.vip6, 16);
	memcpy(out->vip6_global, g->cfg.vip6_global, 16);
	for (unsigned int i = 0; i < 16; i++)
		out->has_params6 |= g->cfg.vip6[i] != 0;
	out->n_vmacs = g->cfg.n_vmacs;
	memcpy(out->mac, g->cfg.mac, 6);
	for (unsigned int i = 0; i < 6; i++)
		out->has_mac |= g->cfg.mac[i] != 0;
	if (g->state != VGW_STATE_AVG)
		return;
	out->has_ownership = true;
	o->epoch = g->epoch;
	o->n_vmacs = g->cfg.n_vmacs;
	memset(o->owner, VGW_OWNER_NONE, sizeof(o->owner));
	for (i = 1; i <= g->cfg.n_vmacs; i++) {
		uint8_t slot;

		if (!g->owner[i])
			continue;
		for (slot = 0; slot < o->n_routers && o->routers[slot] != g->owner[i]; slot++)
			;
		if (slot == o->n_routers) {
			if (o->n_routers == VGW_MAX_ROUTERS)
				continue;
			o->routers[o->n_routers++] = g->owner[i];
		}
		o->owner[i] = slot;
	}
}

uint8_t group_vmac_state(const struct vgw_group *g, uint16_t index, uint64_t now)
{
	if (index == 0 || index > g->cfg.n_vmacs)
		return VGW_VMAC_UNUSED;
	if (g->owner[index] == g->cfg.self_id)
		return VGW_VMAC_OWNED;
	return g->release_until[index] > now ? VGW_VMAC_RELEASING : VGW_VMAC_FOREIGN;
}

struct share {
	uint32_t id;
	unsigned int pos; /* in ids[] */
	uint8_t weight;
	unsigned int target;
	unsigned int count;
	uint64_t remainder;
};

static int by_id(const void *a, const void *b)
{
	uint32_t x = ntohl(((const struct share *)a)->id), y = ntohl(((const struct share *)b)->id);

	return (x > y) - (x < y);
}

/* Largest remainder first; on a tie, whoever already holds more keeps the extra one. */
static int by_claim(const void *a, const void *b)
{
	const struct share *x = a, *y = b;

	if (x->remainder != y->remainder)
		return x->remainder > y->remainder ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return by_id(a, b);
}

static struct share *share_of(struct share *s, unsigned int n, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (s[i].id == id)
			return &s[i];
	return NULL;
}

unsigned int assign_vmacs(const uint32_t *ids, const uint8_t *weights, unsigned int n_routers,
			  uint16_t n_vmacs, uint32_t *owner, const uint16_t *barred,
			  const bool *held)
{
	struct share s[VGW_MAX_ROUTERS];
	uint32_t before[VGW_MAX_VMACS + 1];
	uint64_t total = 0;
	unsigned int i, given = 0, moves = 0;
	int v;

	if (!n_routers || n_routers > VGW_MAX_ROUTERS)
		return 0;
	memcpy(before, owner, (n_vmacs + 1) * sizeof(*owner));
	for (i = 0; i < n_routers; i++) {
		s[i] = (struct share){ .id = ids[i],
				       .pos = i,
				       .weight = weights[i] ? weights[i] : 1 };
		total += s[i].weight;
	}
	for (v = 1; v <= n_vmacs; v++) {
		struct share *o = share_of(s, n_routers, owner[v]);

		if (o)
			o->count++;
		else
			owner[v] = 0;
	}
	for (i = 0; i < n_routers; i++) {
		s[i].target = (unsigned int)(n_vmacs * s[i].weight / total);
		s[i].remainder = n_vmacs * s[i].weight % total;
		given += s[i].target;
	}
	qsort(s, n_routers, sizeof(s[0]), by_claim);
	for (i = 0; given < n_vmacs; i++, given++)
		s[i % n_routers].target++;
	qsort(s, n_routers, sizeof(s[0]), by_id);

	/*
	 * over target: give up the highest-numbered vMACs, but not held ones: an
	 * owner may stay over its count (the balancer evens the load) rather
	 * than strand the flows of a held vMAC
	 */
	for (v = n_vmacs; v >= 1; v--) {
		struct share *o = share_of(s, n_routers, owner[v]);

		if (o && o->count > o->target && !(held && held[v])) {
			o->count--;
			owner[v] = 0;
		}
	}
	/* the free ones, lowest first, to whoever lacks the most (not barred, if any) */
	for (v = 1; v <= n_vmacs; v++) {
		struct share *taker = NULL;
		bool taker_barred = false;

		if (owner[v])
			continue;
		for (i = 0; i < n_routers; i++) {
			bool is_barred = barred && (barred[v] >> s[i].pos & 1);

			if (s[i].count < s[i].target &&
			    (!taker || (taker_barred && !is_barred) ||
			     (taker_barred == is_barred &&
			      s[i].target - s[i].count > taker->target - taker->count))) {
				taker = &s[i];
				taker_barred = is_barred;
			}
		}
		if (!taker)
			break;
		taker->count++;
		owner[v] = taker->id;
	}
	for (v = 1; v <= n_vmacs; v++)
		moves += owner[v] != before[v];
	return moves;
}
