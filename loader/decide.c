// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "decide_common.h"

void decide_say(const struct vgw_decide *d, struct vgw_decisions *out, enum vgw_log_level level,
		const char *fmt, ...)
{
	va_list ap;
	char *line;
	int n;

	if (out->n_log == DECIDE_LOGS)
		return;
	line = out->log[out->n_log];
	n = snprintf(line, DECIDE_LOGLEN, "vgw: %s: ", d->conf.iface);
	if (n < 0 || n >= DECIDE_LOGLEN)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(line + n, DECIDE_LOGLEN - n, fmt, ap);
	va_end(ap);
	out->log_level[out->n_log++] = level;
}

void decide_event(const struct vgw_decide *d, struct vgw_decisions *out, struct vgw_event ev)
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
	gc->handoff_ms = c->handoff_ms;
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
	d->tx.seq = seq;
	d->pid = pid;
	d->tx.next_ms = now;
	d->poll.next_ms = now;
	d->seen.role = 0xff;
	d->poll.host_load = 1;
	/* vgw_dataplane_up() leaves every vMAC foreign */
	for (i = 1; i <= conf->n_vmacs && i < VGW_VMAC_SLOTS; i++)
		d->seen.state[i] = VGW_VMAC_FOREIGN;
}

void decide_resume(struct vgw_decide *d, const struct vgw_resume *r, uint64_t now)
{
	uint16_t i;

	group_resume(&d->g, r->role, r->avg_id, r->owner, now);
	/* the switch saw this table already: nothing to announce */
	for (i = 1; i <= d->conf.n_vmacs && i < VGW_VMAC_SLOTS; i++) {
		const struct vgw_handoff *h = &r->handoff[i];

		d->seen.state[i] = group_vmac_state(&d->g, i, now);
		d->seen.owner[i] = d->g.owner[i];
		/* windows go on (and end when their router is not heard within a hold time) */
		if (h->until_ms > now && d->conf.handoff_ms) {
			memcpy(&d->ho.windows[i].to, h->to_id, 4);
			memcpy(d->ho.windows[i].mac, h->mac, 6);
			d->ho.windows[i].start_ms = h->start_ms;
			d->ho.windows[i].until_ms = h->until_ms;
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
	return now >= d->poll.next_ms;
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
	uint64_t next = d->tx.next_ms < d->poll.next_ms ? d->tx.next_ms : d->poll.next_ms;
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
		decide_say(d, out, VGW_LOG_INFO, "router %s silent past its hold time, forgotten",
			   addr);
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
	struct vgw_hello *h = &d->scratch.hello;
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
		err = hello_decode(m->buf, m->len, d->conf.group, &d->key, h);
		if (!err) {
			was_known = group_peer(&d->g, h->router_id) != NULL;
			err = group_receive(&d->g, h, s->now);
		}
		if (err) {
			count_drop(&d->counters, err);
			told_drop(d, m, err, out);
			continue;
		}
		if (h->router_id == d->self_id)
			continue;
		d->counters.received++;
		accepted = true;
		if (!was_known || (h->state == VGW_STATE_AVG && h->router_id != avg_before))
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
		decide_say(d, out, VGW_LOG_INFO, "link up, rejoining the group");
		group_init(&d->g, &d->g.cfg, s->now);
		d->link_down = false;
	} else if (!s->link_up && !d->link_down) {
		decide_say(d, out, VGW_LOG_INFO, "link down, leaving the group until it is back");
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
	decide_say(d, out, VGW_LOG_INFO,
		   "this daemon ran nothing for %llu ms, more than the hold time: "
		   "rejoining the group",
		   (unsigned long long)s->idle_ms);
	group_init(&d->g, &d->g.cfg, s->now);
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
	struct rebalance_round *round = &d->scratch.round;
	char before[128], after[128], target[128];
	unsigned int k;

	if (!rebalance_poll(&d->rb, &rc, &d->g, now, round))
		return;
	d->run.balance_rounds++;
	d->run.balance_moves += round->plan.n_moves;
	shares_str(before, sizeof(before), round->before, round->n_routers);
	shares_str(after, sizeof(after), round->after, round->n_routers);
	shares_str(target, sizeof(target), round->target, round->n_routers);
	for (k = 0; k < round->plan.n_moves; k++) {
		const struct balance_move *m = &round->plan.moves[k];
		char from[INET_ADDRSTRLEN], to[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &m->from, from, sizeof(from));
		inet_ntop(AF_INET, &m->to, to, sizeof(to));
		decide_say(d, out, VGW_LOG_INFO,
			   "balance round %u: vMAC %u %s -> %s (shares %s -> %s, targets %s)",
			   round->number, m->index, from, to, before, after, target);
		group_move(&d->g, m->index, m->to, now);
	}
}

/* A poll's counters: rates, a balance round on the AVG, the steering, ND faults, handoffs. */
static void take_poll(struct vgw_decide *d, const struct vgw_snapshot *s, struct vgw_decisions *out)
{
	const struct vgw_cli *c = &d->conf;
	bool ours[VGW_VMAC_SLOTS] = { false };
	uint16_t i;

	for (i = 1; i <= c->n_vmacs; i++)
		ours[i] = d->seen.state[i] == VGW_VMAC_OWNED ||
			  d->seen.state[i] == VGW_VMAC_RELEASING;
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
	told_nd_faults(d, s, out);
	d->poll.host_load = out->steer.host_load;
	for (i = 1; i <= c->n_vmacs; i++)
		d->ho.sent[i] = s->handoff[i].sent_packets;
	d->ho.flows_open = s->handoff_flows;
	d->ho.flows_at = s->now;
	d->poll.next_ms = s->now + c->poll_ms;
}

static uint8_t tracked_weight(const struct vgw_cli *c, unsigned int tracks_down)
{
	int w = (int)c->weight - (int)(tracks_down * c->track_decrement);

	return w < 0 ? 0 : (uint8_t)w;
}

/*
 * The table as the data plane must have it; whether it changed since the
 * last step, and which vMACs this router gained.
 */
static bool table(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out,
		  struct decide_gained *gained)
{
	bool changed = false;
	uint16_t i;

	for (i = 1; i <= d->conf.n_vmacs; i++) {
		uint8_t st = group_vmac_state(&d->g, i, now);

		out->vmac_state[i] = st;
		out->owner[i] = d->g.owner[i];
		changed |= d->seen.owner[i] != d->g.owner[i];
		if (st != d->seen.state[i] && st != VGW_VMAC_UNUSED)
			decide_say(d, out, VGW_LOG_INFO, "vMAC %u %s", i,
				   group_vmac_state_name(st));
		/* (releasing -> owned: given back within the grace time, gained again) */
		if (st == VGW_VMAC_OWNED && d->seen.state[i] != VGW_VMAC_OWNED) {
			decide_event(
				d, out,
				(struct vgw_event){ .kind = VGW_EVENT_VMAC_GAINED, .index = i });
			gained->index[gained->n] = i;
			gained->from[gained->n++] = d->seen.owner[i];
		} else if (d->seen.state[i] == VGW_VMAC_OWNED && st != VGW_VMAC_OWNED)
			decide_event(d, out,
				     (struct vgw_event){ .kind = VGW_EVENT_VMAC_LOST,
							 .index = i,
							 .router = d->g.owner[i] != d->self_id
									   ? d->g.owner[i]
									   : 0 });
		d->seen.state[i] = st;
		d->seen.owner[i] = d->g.owner[i];
	}
	return changed;
}

/*
 * The group's clock: on a hello tick (or a hello in, or a peer's hold time
 * over) peers silent past their hold time are forgotten and a graceful stop
 * moves on. Whether a hello is due.
 */
static bool group_clock(struct vgw_decide *d, const struct vgw_snapshot *s, bool accepted,
			struct vgw_decisions *out)
{
	uint64_t now = s->now;
	bool hello_due = false;

	if (!d->link_down && now >= d->tx.next_ms) {
		d->g.weight = tracked_weight(&d->conf, s->tracks_down);
		tick(d, now, out);
		if (d->g.leaving)
			leave_progress(d, now, out);
		hello_due = true;
	} else if (!d->link_down && (accepted || expiry_due(&d->g, now))) {
		tick(d, now, out);
	}
	/* also while the link is down: the loop sleeps an interval between looks at it */
	if (now >= d->tx.next_ms) {
		d->tx.next_ms += d->conf.hello_ms;
		if (d->tx.next_ms <= now)
			d->tx.next_ms = now + d->conf.hello_ms;
	}
	return hello_due;
}

void decide_step(struct vgw_decide *d, const struct vgw_snapshot *s, struct vgw_decisions *out)
{
	bool changed = false, hello_due, accepted = false;
	struct decide_gained gained = { 0 };

	memset(out, 0, offsetof(struct vgw_decisions, log));
	d->ho.no_tx = s->handoff_no_tx;
	d->counters.sent =
		s->hellos_sent; /* act.c sends and counts; the counters go out from here */
	d->run.notify = s->notify;
	hello_due = leave_asked(d, s, out);
	track_own_link(d, s, out);
	track_stall(d, s, out);
	if (!d->link_down)
		accepted = receive(d, s, &changed, out);
	hello_due |= group_clock(d, s, accepted, out);
	if (s->polled)
		take_poll(d, s, out);
	changed |= table(d, s->now, out, &gained);
	handoff_windows_open(d, &gained, s->now, out);
	handoff_windows(d, s->now, out);
	out->n_announce = lanview_update(&d->lan, out->vmac_state, d->conf.n_vmacs, changed,
					 d->conf.hello_ms, d->conf.hold_ms, s->now, out->announce);
	/* a new table goes out at once, not at the next interval */
	if (!d->link_down &&
	    (hello_due || (d->g.state == VGW_STATE_AVG && d->g.epoch != d->tx.epoch)))
		publish_hello(d, out);
	told_mismatches(d, out);
	publish_status(d, out);
	out->heartbeat_ms = d->conf.hold_ms;
	out->stop = d->stop;
	out->failed = d->dataplane_gone;
}
