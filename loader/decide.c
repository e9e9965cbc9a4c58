// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "decide.h"
#include "log.h"

static void say(struct vgw_decisions *out, enum vgw_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(struct vgw_decisions *out, enum vgw_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (out->n_log == DECIDE_LOGS)
		return;
	va_start(ap, fmt);
	vsnprintf(out->log[out->n_log], DECIDE_LOGLEN, fmt, ap);
	va_end(ap);
	out->log_level[out->n_log++] = level;
}

/* A --notify event; role filled in here. */
static void event(struct vgw_decide *d, struct vgw_decisions *out, struct vgw_event ev)
{
	if (out->n_events == DECIDE_EVENTS)
		return;
	ev.role = d->g.state;
	out->events[out->n_events++] = ev;
}

static void group_config_from(const struct vgw_cli *c, uint32_t self_id,
			      struct vgw_group_config *gc)
{
	memset(gc, 0, sizeof(*gc));
	gc->group = c->group;
	gc->self_id = self_id;
	gc->priority = c->priority;
	gc->weight = c->weight;
	gc->preempt = c->preempt;
	gc->preempt_delay_ms = c->preempt_delay_ms;
	gc->hello_ms = c->hello_ms;
	gc->hold_ms = c->hold_ms;
	gc->n_vmacs = c->n_vmacs;
	gc->vip = c->vip.s_addr;
	memcpy(gc->vip6, &c->vip6, 16);
	memcpy(gc->vip6_global, &c->vip6_global, 16);
	gc->release_grace_ms = c->grace_ms;
	gc->weight_lower = c->weight_lower;
	gc->weight_upper = c->weight_upper;
}

void decide_init(struct vgw_decide *d, const struct vgw_cli *conf, const struct vgw_key *key,
		 uint32_t self_id, uint64_t seq, uint32_t pid, uint64_t now)
{
	struct vgw_group_config gc;
	uint16_t i;

	memset(d, 0, sizeof(*d));
	d->conf = *conf;
	d->key = *key;
	d->self_id = self_id;
	group_config_from(conf, self_id, &gc);
	group_init(&d->g, &gc, now);
	d->seq = seq;
	d->pid = pid;
	d->next_hello = now;
	d->next_poll = now;
	d->role_seen = 0xff;
	d->host_load = 1;
	/* vgw_dataplane_up() leaves every vMAC foreign */
	for (i = 1; i <= conf->n_vmacs && i < VGW_VMAC_SLOTS; i++)
		d->state_seen[i] = VGW_VMAC_FOREIGN;
}

void decide_resume(struct vgw_decide *d, const struct vgw_resume *r, uint64_t now)
{
	uint16_t i;

	group_resume(&d->g, r->role, r->avg_id, r->owner, now);
	/* the switch saw this table already: nothing to announce */
	for (i = 1; i <= d->conf.n_vmacs && i < VGW_VMAC_SLOTS; i++) {
		const struct vgw_handoff *h = &r->handoff[i];

		d->state_seen[i] = group_vmac_state(&d->g, i, now);
		d->owner_seen[i] = d->g.owner[i];
		/* windows go on (and end when their router is not heard within a hold time) */
		if (h->until_ms > now && d->conf.handoff_ms) {
			memcpy(&d->windows[i].to, h->to_id, 4);
			memcpy(d->windows[i].mac, h->mac, 6);
			d->windows[i].start_ms = h->start_ms;
			d->windows[i].until_ms = h->until_ms;
		}
	}
}

void decide_set_mac(struct vgw_decide *d, const uint8_t mac[6])
{
	memcpy(d->g.cfg.mac, mac, 6);
}

void decide_reconfigure(struct vgw_decide *d, const struct vgw_cli *conf, const struct vgw_key *key)
{
	uint8_t mac[6];

	memcpy(mac, d->g.cfg.mac, 6);
	d->conf = *conf;
	d->key = *key;
	group_config_from(conf, d->self_id, &d->g.cfg);
	memcpy(d->g.cfg.mac, mac, 6);
}

bool decide_poll_due(const struct vgw_decide *d, uint64_t now)
{
	return now >= d->next_poll;
}

/*
 * When the first peer falls silent past its hold time: a failover starts
 * then, not at the next hello tick (which would add up to a hello interval).
 * 0: no peer.
 */
static uint64_t next_expiry(const struct vgw_group *g)
{
	uint64_t next = 0;
	unsigned int i;

	for (i = 0; i < g->n_peers; i++) {
		uint64_t at = g->peers[i].heard_ms + g->peers[i].hold_ms + 1;

		if (!next || at < next)
			next = at;
	}
	return next;
}

static bool expiry_due(const struct vgw_group *g, uint64_t now)
{
	uint64_t at = next_expiry(g);

	return at && now >= at;
}

int decide_timeout_ms(const struct vgw_decide *d, uint64_t now)
{
	uint64_t next = d->next_hello < d->next_poll ? d->next_hello : d->next_poll;
	uint64_t lan = lanview_next(&d->lan, d->conf.n_vmacs), expiry = next_expiry(&d->g);

	if (lan && lan < next)
		next = lan;
	if (!d->link_down && expiry && expiry < next)
		next = expiry;
	if (next <= now)
		return 0;
	return next - now > 60000 ? 60000 : (int)(next - now);
}

static void count_drop(struct vgw_hello_counters *c, int reason)
{
	__u64 *slot[] = {
		[VGW_HELLO_TRUNCATED] = &c->truncated,
		[VGW_HELLO_OVERSIZED] = &c->oversized,
		[VGW_HELLO_BAD_MAGIC] = &c->bad_magic,
		[VGW_HELLO_BAD_VERSION] = &c->bad_version,
		[VGW_HELLO_MALFORMED] = &c->malformed,
		[VGW_HELLO_WRONG_GROUP] = &c->wrong_group,
		[VGW_HELLO_NO_AUTH] = &c->no_auth,
		[VGW_HELLO_BAD_AUTH] = &c->bad_auth,
		[VGW_HELLO_UNEXPECTED_AUTH] = &c->unexpected_auth,
		[VGW_DROP_REPLAY] = &c->replayed,
		[VGW_DROP_TOO_MANY_PEERS] = &c->too_many_peers,
	};

	if (reason > 0 && reason < (int)(sizeof(slot) / sizeof(slot[0])) && slot[reason])
		(*slot[reason])++;
}

/* Faults a source's hellos can have that an operator must hear of, once per source. */
static const char *drop_story(int reason)
{
	switch (reason) {
	case VGW_HELLO_BAD_AUTH:
		return "fail authentication: wrong key?";
	case VGW_HELLO_NO_AUTH:
		return "are not signed, and this router has a key";
	case VGW_HELLO_UNEXPECTED_AUTH:
		return "are signed, and this router has no key";
	case VGW_HELLO_WRONG_GROUP:
		return "are for another group";
	case VGW_DROP_TOO_MANY_PEERS:
		return "are refused: the group has 16 routers already";
	default:
		return NULL;
	}
}

static void log_drop(struct vgw_decide *d, const struct vgw_snap_msg *m, int reason,
		     struct vgw_decisions *out)
{
	const char *story = drop_story(reason);
	char addr[INET6_ADDRSTRLEN];
	uint32_t from = m->from;
	unsigned int i;

	if (!story)
		return;
	for (i = 0; i < d->n_logged_src && i < DECIDE_SOURCES; i++)
		if (d->logged_src[i].from == from && d->logged_src[i].reason == reason)
			return;
	if (d->n_logged_src == DECIDE_SOURCES) {
		say(out, VGW_LOG_WARN,
		    "vgw: %s: hellos from more than %d sources were dropped; only counted "
		    "from now on (vgw status)",
		    d->conf.iface, DECIDE_SOURCES);
		d->n_logged_src++;
	}
	if (d->n_logged_src > DECIDE_SOURCES)
		return;
	d->logged_src[d->n_logged_src].from = from;
	d->logged_src[d->n_logged_src++].reason = reason;
	if (m->from_v6)
		inet_ntop(AF_INET6, m->from6, addr, sizeof(addr));
	else
		inet_ntop(AF_INET, &from, addr, sizeof(addr));
	say(out, VGW_LOG_WARN, "vgw: %s: hellos from %s %s", d->conf.iface, addr, story);
}

/* group_tick, and a line for every peer it forgot. */
static void tick(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out)
{
	uint32_t before[VGW_MAX_ROUTERS];
	unsigned int n = d->g.n_peers, i, k;

	for (i = 0; i < n; i++)
		before[i] = d->g.peers[i].id;
	group_tick(&d->g, now);
	for (i = 0; i < n; i++) {
		char addr[INET_ADDRSTRLEN];

		for (k = 0; k < d->g.n_peers && d->g.peers[k].id != before[i]; k++)
			;
		if (k < d->g.n_peers)
			continue;
		inet_ntop(AF_INET, &before[i], addr, sizeof(addr));
		say(out, VGW_LOG_INFO, "vgw: %s: router %s silent past its hold time, forgotten",
		    d->conf.iface, addr);
	}
}

/*
 * Hellos in. Returns whether one was accepted; *changed when one may have
 * moved a vMAC in the switch: a peer appearing or coming back (it may have
 * claimed vMACs while it was cut off), or an AVG other than the one known.
 */
static bool receive(struct vgw_decide *d, const struct vgw_snapshot *s, bool *changed,
		    struct vgw_decisions *out)
{
	static struct vgw_hello h; /* 4 KiB of rates; the daemon is single-threaded */
	bool accepted = false;
	unsigned int k;

	for (k = 0; k < s->n_msgs; k++) {
		const struct vgw_snap_msg *m = &s->msgs[k];
		uint32_t avg_before = d->g.avg_id;
		bool was_known;
		int err;

		if (m->ttl != 255) {
			d->counters.bad_ttl++; /* not sent from the link */
			continue;
		}
		err = hello_decode(m->buf, m->len, d->conf.group, &d->key, &h);
		if (!err) {
			was_known = group_peer(&d->g, h.router_id) != NULL;
			err = group_receive(&d->g, &h, s->now);
		}
		if (err) {
			count_drop(&d->counters, err);
			log_drop(d, m, err, out);
			continue;
		}
		if (h.router_id == d->self_id)
			continue;
		d->counters.received++;
		accepted = true;
		if (!was_known || (h.state == VGW_STATE_AVG && h.router_id != avg_before))
			*changed = true;
	}
	return accepted;
}

/*
 * A router cut off from the LAN would otherwise become an AVG of one and
 * claim every vMAC, and on its return fight the real AVG with that table.
 * Like GLBP's Init state: while down it owns nothing and forgets the group;
 * back up, it starts over by listening.
 */
static void track_own_link(struct vgw_decide *d, const struct vgw_snapshot *s,
			   struct vgw_decisions *out)
{
	if (s->link_up && d->link_down) {
		say(out, VGW_LOG_INFO, "vgw: %s: link up, rejoining the group", d->conf.iface);
		group_init(&d->g, &d->g.cfg, s->now);
		d->link_down = false;
	} else if (!s->link_up && !d->link_down) {
		say(out, VGW_LOG_INFO, "vgw: %s: link down, leaving the group until it is back",
		    d->conf.iface);
		group_init(&d->g, &d->g.cfg, s->now);
		d->g.state = VGW_STATE_INIT;
		d->link_down = true;
	}
}

/*
 * A daemon stopped or starved for longer than the hold time (SIGSTOP, a VM
 * paused) finds on waking that it heard nobody for that long, and would take
 * itself for the last router standing and claim every vMAC. But the group
 * gave up on it, and its data plane failed safe meanwhile: it rejoins like
 * a router that just started. Counted is the time it did not run between
 * steps (it sleeps at most a hello interval), not the time its own work took.
 */
static void track_stall(struct vgw_decide *d, const struct vgw_snapshot *s,
			struct vgw_decisions *out)
{
	if (s->idle_ms <= d->conf.hold_ms || d->link_down || d->g.leaving)
		return;
	say(out, VGW_LOG_INFO,
	    "vgw: %s: this daemon ran nothing for %llu ms, more than the hold time: "
	    "rejoining the group",
	    d->conf.iface, (unsigned long long)s->idle_ms);
	group_init(&d->g, &d->g.cfg, s->now);
}

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
 * their vMACs) are waited for: once they end, or the time is up.
 */
static bool draining(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out)
{
	uint32_t drain_ms = d->conf.handoff_ms ? d->conf.drain_ms : 0;
	bool wait = handoff_draining(d->flows_open, d->leave_ms, drain_ms, now);

	if (wait && !d->drain_told) {
		say(out, VGW_LOG_INFO,
		    "vgw: %s: waiting up to %u ms for %llu connections handed off to this router",
		    d->conf.iface, drain_ms - (uint32_t)(now - d->leave_ms),
		    (unsigned long long)d->flows_open);
		d->drain_told = true;
	} else if (!wait && d->drain_told) {
		if (d->flows_open)
			say(out, VGW_LOG_WARN,
			    "vgw: %s: drain time over: stopping with %llu handed-off connections "
			    "still open",
			    d->conf.iface, (unsigned long long)d->flows_open);
		else
			say(out, VGW_LOG_INFO,
			    "vgw: %s: the connections handed off to this router ended",
			    d->conf.iface);
		d->drain_told = false;
	}
	return wait;
}

/*
 * A graceful stop ends once others forward all our vMACs, the grace period is
 * over, and (--drain-ms) the connections handed back to us have ended.
 */
static void leave_progress(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out)
{
	bool emptied = !group_owns_any(&d->g) && !releasing_any(&d->g, now);

	/* the list holds only peers heard within their hold time */
	if (!d->g.n_peers || now >= d->leave_deadline) {
		if (d->g.n_peers)
			say(out, VGW_LOG_WARN,
			    "vgw: %s: stopping before the group took over all vMACs",
			    d->conf.iface);
		if (d->drain_told && d->flows_open)
			say(out, VGW_LOG_WARN,
			    "vgw: %s: stopping with %llu handed-off connections still open",
			    d->conf.iface, (unsigned long long)d->flows_open);
		d->stop = true;
	} else if (d->g.state == VGW_STATE_AVG && emptied) {
		group_handoff(&d->g);
		d->handoff_at = now;
	} else if (d->handoff_at && now - d->handoff_at >= 2 * d->conf.hello_ms) {
		d->stop = !draining(d, now, out);
	} else if (!d->handoff_at && d->g.state != VGW_STATE_AVG && emptied) {
		d->stop = !draining(d, now, out);
	}
}

static void shares_str(char *buf, size_t len, const double *v, unsigned int n)
{
	size_t off = 0;
	unsigned int r;

	buf[0] = '\0';
	for (r = 0; r < n && off < len; r++)
		off += snprintf(buf + off, len - off, "%s%.1f", r ? "/" : "", v[r]);
}

static void balance(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out)
{
	const struct vgw_cli *c = &d->conf;
	struct vgw_rebalance_config rc = {
		.on_packets = c->balance_on_packets,
		.weighted = c->target_weighted,
		.threshold_pp = c->balance_threshold,
		.hold_ms = c->balance_hold_ms,
		.cooldown_ms = c->move_cooldown_ms,
		.min_pps = c->balance_min_pps,
		.max_moves = c->max_moves,
	};
	static struct rebalance_round round;
	char before[128], after[128], target[128];
	unsigned int k;

	if (!rebalance_poll(&d->rb, &rc, &d->g, now, &round))
		return;
	d->run.balance_rounds++;
	d->run.balance_moves += round.plan.n_moves;
	shares_str(before, sizeof(before), round.before, round.n_routers);
	shares_str(after, sizeof(after), round.after, round.n_routers);
	shares_str(target, sizeof(target), round.target, round.n_routers);
	for (k = 0; k < round.plan.n_moves; k++) {
		const struct balance_move *m = &round.plan.moves[k];
		char from[INET_ADDRSTRLEN], to[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &m->from, from, sizeof(from));
		inet_ntop(AF_INET, &m->to, to, sizeof(to));
		say(out, VGW_LOG_INFO,
		    "vgw: %s: balance round %u: vMAC %u %s -> %s (shares %s -> %s, targets %s)",
		    c->iface, round.number, m->index, from, to, before, after, target);
		group_move(&d->g, m->index, m->to, now);
	}
}

/*
 * ND frames the data plane had to drop because of the router's own set-up,
 * not the hosts': logged once, at the first (counted ever after in vgw
 * status). Unfixed, they leave hosts with no default router.
 */
static void nd_faults(struct vgw_decide *d, const struct vgw_snapshot *s, struct vgw_decisions *out)
{
	static const char *const story[] = {
		"RAs from the virtual link-local with a Source Link-Layer Address option were "
		"dropped: set AdvSourceLLAddress off in radvd.conf",
		"RAs offering a default router other than the virtual link-local were dropped: set "
		"AdvRASrcAddress to the --vip6 address in radvd.conf (docs/ipv6.md)",
		"NAs for a virtual address were dropped as malformed",
	};
	const uint64_t now[] = { s->nd.ra_sllao_dropped, s->nd.ra_foreign_dropped,
				 s->nd.malformed_dropped };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (!d->nd_based)
			d->nd_base[i] = now[i]; /* an adopted data plane's are not ours to tell */
		else if (now[i] > d->nd_base[i] && !d->nd_logged[i]) {
			say(out, VGW_LOG_WARN, "vgw: %s: warning: %s", d->conf.iface, story[i]);
			d->nd_logged[i] = true;
		}
	}
	d->nd_based = true;
}

static void poll_rates(struct vgw_decide *d, const struct vgw_snapshot *s,
		       struct vgw_decisions *out)
{
	const struct vgw_cli *c = &d->conf;
	bool ours[VGW_VMAC_SLOTS] = { false };
	uint16_t i;

	for (i = 1; i <= c->n_vmacs; i++)
		ours[i] = d->state_seen[i] == VGW_VMAC_OWNED ||
			  d->state_seen[i] == VGW_VMAC_RELEASING;
	rates_poll(&d->rates, c->smoothing_ms, c->n_vmacs, s->counters, ours, d->g.rates, s->now);
	balance(d, s->now, out);
	struct steer_input in = {
		.n_vmacs = c->n_vmacs,
		.poll_ms = c->poll_ms,
		.smoothing_ms = c->smoothing_ms,
		.balance_on_packets = c->balance_on_packets,
		.target_weighted = c->target_weighted,
		.answers = s->answers,
		.router_answers = s->router_answers,
		.rates = d->g.rates,
		.owner = d->g.owner,
		.n_members = d->g.n_members,
		.members = d->g.members,
		.member_weights = d->g.member_weights,
		.hosts = s->hosts,
	};
	steer_update(&d->steer, &in, &out->steer);
	out->steer_valid = true;
	nd_faults(d, s, out);
	d->host_load = out->steer.host_load;
	d->next_poll = s->now + c->poll_ms;
}

static uint8_t tracked_weight(const struct vgw_cli *c, unsigned int tracks_down)
{
	int w = (int)c->weight - (int)(tracks_down * c->track_decrement);

	return w < 0 ? 0 : (uint8_t)w;
}

/* vMAC index was gained now: from a live router, its connections go on there for a while. */
static void window_open(struct vgw_decide *d, uint16_t i, uint64_t now, struct vgw_decisions *out)
{
	uint32_t prev = d->owner_seen[i];
	char to[INET_ADDRSTRLEN];

	if (!prev || prev == d->self_id || d->handoff_no_tx ||
	    !handoff_open(&d->windows[i], group_peer(&d->g, prev), d->conf.handoff_ms, now))
		return;
	d->windows[i].sent_base = d->handoff_sent[i];
	inet_ntop(AF_INET, &prev, to, sizeof(to));
	say(out, VGW_LOG_INFO, "vgw: %s: vMAC %u: connections open through %s go on there for %u s",
	    d->conf.iface, i, to, d->conf.handoff_ms / 1000);
}

/* The windows that end now (logged once each), and the data plane's for the rest. */
static void windows(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out)
{
	uint16_t i;

	for (i = 1; i <= d->conf.n_vmacs; i++) {
		struct vgw_handoff_window *w = &d->windows[i];
		enum vgw_handoff_end why;
		char to[INET_ADDRSTRLEN];

		if (!w->to)
			continue;
		why = handoff_check(w, &d->g, out->vmac_state[i], !d->handoff_no_tx,
				    d->conf.handoff_ms, now);
		if (why == VGW_HANDOFF_GOING) {
			struct vgw_handoff *h = &out->handoff[i];

			memcpy(h->mac, w->mac, 6);
			memcpy(h->to_id, &w->to, 4);
			h->start_ms = w->start_ms;
			h->until_ms = w->until_ms;
			continue;
		}
		inet_ntop(AF_INET, &w->to, to, sizeof(to));
		say(out, VGW_LOG_INFO,
		    "vgw: %s: vMAC %u: handoff to %s ended (%s): %llu packets handed off",
		    d->conf.iface, i, to, handoff_end_str(why),
		    (unsigned long long)(d->handoff_sent[i] - w->sent_base));
		memset(w, 0, sizeof(*w));
	}
}

/* The table as the data plane must have it; whether it changed since the last step. */
static bool table(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out)
{
	bool changed = false;
	uint16_t i;

	for (i = 1; i <= d->conf.n_vmacs; i++) {
		uint8_t st = group_vmac_state(&d->g, i, now);

		out->vmac_state[i] = st;
		out->owner[i] = d->g.owner[i];
		changed |= d->owner_seen[i] != d->g.owner[i];
		if (st != d->state_seen[i] && st != VGW_VMAC_UNUSED)
			say(out, VGW_LOG_INFO, "vgw: %s: vMAC %u %s", d->conf.iface, i,
			    group_vmac_state_name(st));
		/* (releasing -> owned: given back within the grace time, gained again) */
		if (st == VGW_VMAC_OWNED && d->state_seen[i] != VGW_VMAC_OWNED) {
			event(d, out,
			      (struct vgw_event){ .kind = VGW_EVENT_VMAC_GAINED, .index = i });
			window_open(d, i, now, out);
		} else if (d->state_seen[i] == VGW_VMAC_OWNED && st != VGW_VMAC_OWNED)
			event(d, out,
			      (struct vgw_event){
				      .kind = VGW_EVENT_VMAC_LOST,
				      .index = i,
				      .router = d->g.owner[i] != d->self_id ? d->g.owner[i] : 0 });
		d->state_seen[i] = st;
		d->owner_seen[i] = d->g.owner[i];
	}
	return changed;
}

/*
 * The rates of this router's vMACs, as many as fit, starting where the last
 * hello stopped: with more than fit in one (about 70 with a full table), each
 * vMAC is still reported every few hellos.
 */
static void add_rates(struct vgw_decide *d, struct vgw_hello *h)
{
	unsigned int room = hello_rates_room(h, d->key.len > 0), k;
	uint16_t n = d->conf.n_vmacs, i = d->rates_cursor;

	for (k = 0; k < n && h->n_rates < room; k++) {
		i = i % n + 1; /* 1..n, wrapping */
		if (d->g.owner[i] == d->self_id)
			h->rates[h->n_rates++] =
				(struct vgw_hello_rate){ i, (uint32_t)d->g.rates[i].pps,
							 d->g.rates[i].bps };
		d->rates_cursor = i;
	}
}

static void build_hello(struct vgw_decide *d, struct vgw_decisions *out)
{
	struct vgw_hello *h = &out->hello;

	group_hello(&d->g, h);
	h->seq = ++d->seq;
	add_rates(d, h);
	out->send_hello = true;
	d->sent_epoch = d->g.epoch;
}

/* One line per peer whose settings differ from ours, once per change. */
static void log_mismatches(struct vgw_decide *d, struct vgw_decisions *out)
{
	const struct vgw_group *g = &d->g;
	unsigned int i, k;

	for (i = 0; i < g->n_peers && i < VGW_MAX_ROUTERS; i++) {
		const struct vgw_peer *p = &g->peers[i];
		uint8_t m = group_mismatch(g, p);
		char id[INET_ADDRSTRLEN], mine[INET_ADDRSTRLEN], theirs[INET_ADDRSTRLEN];
		char what[256] = "";
		size_t off = 0;

		for (k = 0; k < VGW_MAX_ROUTERS && d->mismatch_seen[k].id != p->id; k++)
			;
		if (k == VGW_MAX_ROUTERS) {
			for (k = 0; k < VGW_MAX_ROUTERS && d->mismatch_seen[k].id; k++)
				;
			if (k == VGW_MAX_ROUTERS)
				k = i; /* all taken by routers gone since: reuse */
			d->mismatch_seen[k].id = p->id;
			d->mismatch_seen[k].mismatch = 0;
		}
		if (d->mismatch_seen[k].mismatch == m)
			continue;
		d->mismatch_seen[k].mismatch = m;
		inet_ntop(AF_INET, &p->id, id, sizeof(id));
		if (!m) {
			say(out, VGW_LOG_INFO, "vgw: %s: router %s now has this router's settings",
			    d->conf.iface, id);
			continue;
		}
		inet_ntop(AF_INET, &p->vip, theirs, sizeof(theirs));
		inet_ntop(AF_INET, &g->cfg.vip, mine, sizeof(mine));
		if ((m & VGW_MISMATCH_VIP) && p->vip != g->cfg.vip)
			off += snprintf(what + off, sizeof(what) - off, ", vip %s (here %s)",
					theirs, mine);
		if ((m & VGW_MISMATCH_VIP) && p->vip == g->cfg.vip) {
			char t6[INET6_ADDRSTRLEN], m6[INET6_ADDRSTRLEN];

			inet_ntop(AF_INET6, p->vip6, t6, sizeof(t6));
			inet_ntop(AF_INET6, g->cfg.vip6, m6, sizeof(m6));
			off += snprintf(what + off, sizeof(what) - off,
					", vip6 %s (here %s) or its global address", t6, m6);
		}
		if (m & VGW_MISMATCH_VMACS)
			off += snprintf(what + off, sizeof(what) - off, ", vmacs %u (here %u)",
					p->n_vmacs, g->cfg.n_vmacs);
		if (m & VGW_MISMATCH_HELLO)
			off += snprintf(what + off, sizeof(what) - off, ", hello-ms %u (here %u)",
					p->hello_ms, g->cfg.hello_ms);
		if (m & VGW_MISMATCH_HOLD)
			snprintf(what + off, sizeof(what) - off, ", hold-ms %u (here %u)",
				 p->hold_ms, g->cfg.hold_ms);
		event(d, out,
		      (struct vgw_event){
			      .kind = VGW_EVENT_MISMATCH, .router = p->id, .mismatch = m });
		say(out, VGW_LOG_WARN, "vgw: %s: router %s has other settings: %s%s", d->conf.iface,
		    id, what + 2,
		    m & (VGW_MISMATCH_VIP | VGW_MISMATCH_VMACS) ? "; it is not part of this group"
								: "");
	}
	if (g->outvoted != d->outvoted_seen)
		say(out, VGW_LOG_WARN,
		    g->outvoted ? "vgw: %s: error: the group runs with another vip or vmacs than "
				  "this router: it forwards nothing and answers no ARP until they "
				  "agree"
				: "vgw: %s: this router's settings are the group's again",
		    d->conf.iface);
	d->outvoted_seen = g->outvoted;
}

static void publish(struct vgw_decide *d, struct vgw_decisions *out)
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
	out->params.host_load = d->host_load;
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
	if (g->state != d->role_seen) {
		say(out, VGW_LOG_INFO, "vgw: %s: role %s", d->conf.iface,
		    group_state_name(g->state));
		event(d, out,
		      (struct vgw_event){ .kind = VGW_EVENT_ROLE, .prev_role = d->role_seen });
	}
	d->role_seen = g->state;
}

void decide_step(struct vgw_decide *d, const struct vgw_snapshot *s, struct vgw_decisions *out)
{
	uint64_t now = s->now;
	bool changed = false, hello_due = false, accepted = false;

	d->handoff_no_tx = s->handoff_no_tx;

	memset(out, 0, offsetof(struct vgw_decisions, log));
	if (s->dataplane_gone && !d->dataplane_gone) {
		/* forwarding here is broken: hand the vMACs over, then exit with an error */
		say(out, VGW_LOG_WARN,
		    "vgw: error: %s: vgw's XDP program or maps were removed or replaced under vgw "
		    "run; leaving the group",
		    d->conf.iface);
		d->dataplane_gone = true;
	}
	if (s->term || (d->dataplane_gone && !d->g.leaving)) {
		if (d->link_down) {
			d->stop = true; /* nobody to hand over to */
		} else if (!d->g.leaving) {
			say(out, VGW_LOG_INFO, "vgw: %s: leaving the group", d->conf.iface);
			group_leave(&d->g);
			event(d, out, (struct vgw_event){ .kind = VGW_EVENT_LEAVING });
			d->leave_deadline = now + 2 * d->conf.hold_ms + d->conf.grace_ms + 1000 +
					    (d->conf.handoff_ms ? d->conf.drain_ms : 0);
			d->leave_ms = now;
			hello_due = true;
		}
	}
	track_own_link(d, s, out);
	track_stall(d, s, out);
	if (!d->link_down)
		accepted = receive(d, s, &changed, out);
	if (!d->link_down && now >= d->next_hello) {
		d->g.weight = tracked_weight(&d->conf, s->tracks_down);
		tick(d, now, out);
		if (d->g.leaving)
			leave_progress(d, now, out);
		hello_due = true;
	} else if (!d->link_down && (accepted || expiry_due(&d->g, now))) {
		tick(d, now, out);
	}
	/* also while the link is down: the loop sleeps an interval between looks at it */
	if (now >= d->next_hello) {
		d->next_hello += d->conf.hello_ms;
		if (d->next_hello <= now)
			d->next_hello = now + d->conf.hello_ms;
	}
	if (s->polled) {
		poll_rates(d, s, out);
		for (uint16_t i = 1; i <= d->conf.n_vmacs; i++)
			d->handoff_sent[i] = s->handoff[i].sent_packets;
		d->flows_open = s->handoff_flows;
	}
	changed |= table(d, now, out);
	windows(d, now, out);
	out->n_announce = lanview_update(&d->lan, out->vmac_state, d->conf.n_vmacs, changed,
					 d->conf.hello_ms, now, out->announce);
	/* a new table goes out at once, not at the next interval */
	if (!d->link_down &&
	    (hello_due || (d->g.state == VGW_STATE_AVG && d->g.epoch != d->sent_epoch)))
		build_hello(d, out);
	log_mismatches(d, out);
	publish(d, out);
	out->heartbeat_ms = d->conf.hold_ms;
	out->stop = d->stop;
	out->failed = d->dataplane_gone;
}
