// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw run's policy (decide.c) as routers on a fake clock: their hellos go
 * through the real codec into each other's snapshots. What comes out is what
 * act.c would apply: tables, announces, hellos, log lines.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "decide.h"

#define MAXR 3

struct router {
	struct vgw_decide d;
	struct vgw_snapshot s;
	struct vgw_decisions out;
	bool down;	   /* neither sends nor hears */
	uint64_t last_now; /* its last step: the snapshot's idle time */
	unsigned int tracks_down;
	uint64_t flows; /* handed off to it, open: what each poll reads */
	bool no_tx;	/* handed-off frames cannot leave its interface */
};

static struct router R[MAXR];
/* every --notify event of each router since setup */
#define MAXEV 1024
static struct vgw_event EV[MAXR][MAXEV];
static unsigned int n_ev[MAXR];
static unsigned int n_routers;
static uint64_t now;
/* log lines of each router that contain NEEDLE, since it was set */
static const char *needle;
static unsigned int needle_hits[MAXR];

static void conf_of(struct vgw_cli *c, unsigned int prio, const char *extra1, const char *extra2)
{
	char p[8], err[256];
	char *argv[16] = { "vgw",     "run",	  "--iface",	"lan0", "--group",   "1",
			   "--vip",   "10.0.0.1", "--hello-ms", "100",	"--hold-ms", "300",
			   "--vmacs", "8",	  "--priority", p };
	int argc = 16;

	snprintf(p, sizeof(p), "%u", prio);
	cr_assert_eq(cli_parse(argc, argv, c, err, sizeof(err)), 0, "%s", err);
	if (extra1) {
		char *more[] = { "vgw",		 "run",		"--iface",    "lan0",
				 "--group",	 "1",		"--vip",      "10.0.0.1",
				 "--hello-ms",	 "100",		"--hold-ms",  "300",
				 "--vmacs",	 "8",		"--priority", p,
				 (char *)extra1, (char *)extra2 };

		cr_assert_eq(cli_parse(18, more, c, err, sizeof(err)), 0, "%s", err);
	}
}

/* One router's config with the largest pool (conf_of's base sets --vmacs 8). */
static void conf_256(struct vgw_cli *c)
{
	char err[256];
	char *argv[] = { "vgw",	      "run",   "--iface",  "lan0",	 "--group",
			 "1",	      "--vip", "10.0.0.1", "--hello-ms", "100",
			 "--hold-ms", "300",   "--vmacs",  "256" };

	cr_assert_eq(cli_parse(14, argv, c, err, sizeof(err)), 0, "%s", err);
}

static void add_router_with(unsigned int prio, const char *flag, const char *value)
{
	struct vgw_cli c;
	struct vgw_key key = { 0 };

	conf_of(&c, prio, flag, value);
	memset(&R[n_routers], 0, sizeof(R[0]));
	decide_init(&R[n_routers].d, &c, &key, htonl(0x0a000002 + n_routers), 1000, 4242, now);
	n_routers++;
}

static void add_router(unsigned int prio)
{
	add_router_with(prio, NULL, NULL);
}

static void deliver(unsigned int from, int ttl)
{
	uint8_t buf[VGW_HELLO_MAX];
	struct vgw_key key = { 0 };
	int len = hello_encode(&R[from].out.hello, &key, buf, sizeof(buf));
	unsigned int k;

	cr_assert_gt(len, 0);
	for (k = 0; k < n_routers; k++) {
		struct vgw_snapshot *s = &R[k].s;

		if (k == from || R[k].down || s->n_msgs == SNAP_MSGS)
			continue;
		memcpy(s->msgs[s->n_msgs].buf, buf, len);
		s->msgs[s->n_msgs].len = len;
		s->msgs[s->n_msgs++].ttl = ttl;
	}
}

/* One step of every live router at now; their hellos reach the others' next step. */
static void step_all(void)
{
	unsigned int k;

	for (k = 0; k < n_routers; k++) {
		struct router *r = &R[k];

		if (r->down)
			continue;
		r->s.now = now;
		r->s.idle_ms = r->last_now ? now - r->last_now : 0;
		r->last_now = now;
		r->s.link_up = true;
		r->s.tracks_down = r->tracks_down;
		r->s.handoff_no_tx = r->no_tx;
		r->s.polled = decide_poll_due(&r->d, now);
		if (r->s.polled)
			r->s.handoff_flows = r->flows;
		decide_step(&r->d, &r->s, &r->out);
		for (unsigned int l = 0; needle && l < r->out.n_log; l++)
			needle_hits[k] += strstr(r->out.log[l], needle) != NULL;
		memset(&r->s, 0, sizeof(r->s));
		for (unsigned int e = 0; e < r->out.n_events && n_ev[k] < MAXEV; e++)
			EV[k][n_ev[k]++] = r->out.events[e];
	}
	for (k = 0; k < n_routers; k++)
		if (!R[k].down && R[k].out.send_hello)
			deliver(k, 255);
}

static void run_ms(uint64_t ms)
{
	uint64_t end = now + ms;

	while (now < end) {
		now += 10;
		step_all();
	}
}

static unsigned int owned(unsigned int k)
{
	unsigned int n = 0, i;

	for (i = 1; i <= 8; i++)
		n += R[k].out.vmac_state[i] == VGW_VMAC_OWNED;
	return n;
}

/* Announces of router k over ms, stepping everyone. */
static unsigned int announces_over(unsigned int k, uint64_t ms)
{
	uint64_t end = now + ms;
	unsigned int n = 0;

	while (now < end) {
		now += 10;
		step_all();
		n += R[k].down ? 0 : R[k].out.n_announce;
	}
	return n;
}

static unsigned int events_of(unsigned int k, uint8_t kind)
{
	unsigned int n = 0, e;

	for (e = 0; e < n_ev[k]; e++)
		n += EV[k][e].kind == kind;
	return n;
}

static void setup(void)
{
	needle = NULL;
	memset(needle_hits, 0, sizeof(needle_hits));
	memset(n_ev, 0, sizeof(n_ev));
	n_routers = 0;
	now = 1000000;
}

TestSuite(decide, .init = setup);

Test(decide, two_routers_share_the_pool_and_announce_each_vmac_twice)
{
	unsigned int before;

	add_router(200);
	add_router(100);
	run_ms(2000);
	cr_assert_eq(R[0].out.status.role, VGW_STATE_AVG);
	cr_assert_eq(owned(0) + owned(1), 8);
	cr_assert_eq(owned(0), 4);
	/* settled: nothing more to tell the switch until the refresh */
	before = announces_over(0, 5000) + announces_over(1, 5000);
	cr_assert_eq(before, 0, "announces in a settled group");
}

Test(decide, a_peer_coming_back_makes_every_owner_announce_again)
{
	unsigned int k, n;

	add_router(200);
	/* r1 is below its lower weight threshold: it owns nothing, so the table never changes */
	add_router_with(100, "--weight-lower", "50");
	R[1].tracks_down = 6; /* weight 100 - 6 x 10 */
	run_ms(2000);
	cr_assert_eq(owned(0), 8);
	cr_assert_eq(owned(1), 0);
	cr_assert_eq(announces_over(0, 2000), 0, "settled");
	R[1].down = true;
	run_ms(1000); /* r0 forgets r1 */
	cr_assert_eq(R[0].out.routers[1].live, 0);
	R[1].down = false;
	memset(&R[1].s, 0, sizeof(R[1].s));
	n = 0;
	for (k = 0; k < 3; k++) {
		now += 10;
		step_all();
		n += R[0].out.n_announce;
	}
	cr_assert_eq(owned(0), 8, "the table did not change");
	/* r1 may have claimed vMACs while it was cut off: r0 tells the switch again, at once */
	cr_assert_eq(n, 8, "announces by r0 as r1 reappeared");
}

Test(decide, a_newly_owned_vmac_is_announced_now_and_one_hello_later)
{
	uint64_t t0;
	unsigned int i, first = 0, again = 0;

	add_router(200);
	run_ms(200); /* still listening (hold time) */
	cr_assert_eq(owned(0), 0);
	t0 = now;
	while (now < t0 + 400) {
		now += 10;
		step_all();
		for (i = 0; i < R[0].out.n_announce; i++) {
			if (R[0].out.announce[i] != 1)
				continue;
			if (!first)
				first = now;
			else if (!again)
				again = now;
		}
	}
	cr_assert_neq(first, 0, "vMAC 1 never announced");
	cr_assert_eq(again - first, 100, "the repeat comes one hello later");
}

Test(decide, a_hello_below_ttl_255_is_counted_and_changes_nothing)
{
	add_router(200);
	add_router(100);
	R[1].down = true; /* r1 only sends, by hand below */
	run_ms(500);
	cr_assert_eq(owned(0), 8);
	R[1].out.send_hello = true;
	group_hello(&R[1].d.g, &R[1].out.hello);
	R[1].out.hello.seq = 5;
	deliver(1, 254);
	now += 10;
	R[0].s.now = now;
	R[0].s.link_up = true;
	decide_step(&R[0].d, &R[0].s, &R[0].out);
	cr_assert_eq(R[0].out.counters.bad_ttl, 1);
	cr_assert_eq(R[0].out.counters.received, 0);
	cr_assert_eq(R[0].d.g.n_peers, 0);
	cr_assert_eq(owned(0), 8);
	cr_assert_eq(R[0].out.n_announce, 0);
}

Test(decide, what_act_counted_goes_out_in_the_counters_it_publishes)
{
	add_router(100);
	run_ms(200);
	R[0].s.hellos_sent = 7;
	R[0].s.notify =
		(struct vgw_notify_counters){ .runs = 4, .failed = 3, .timeouts = 2, .dropped = 1 };
	now += 10;
	R[0].s.now = now;
	decide_step(&R[0].d, &R[0].s, &R[0].out);
	cr_assert_eq(R[0].out.counters.sent, 7);
	cr_assert_eq(R[0].out.run.notify.runs, 4);
	cr_assert_eq(R[0].out.run.notify.failed, 3);
	cr_assert_eq(R[0].out.run.notify.timeouts, 2);
	cr_assert_eq(R[0].out.run.notify.dropped, 1);
}

Test(decide, sigterm_hands_the_vmacs_over_then_stops)
{
	unsigned int t;

	add_router(200);
	add_router(100);
	run_ms(2000);
	R[1].s.term = true;
	for (t = 0; t < 300 && !R[1].out.stop; t++) {
		now += 10;
		step_all();
	}
	cr_assert(R[1].out.stop, "r1 never stopped");
	cr_assert_eq(owned(0), 8, "r0 forwards every vMAC once r1 is gone");
}

Test(decide, the_poll_interval_is_honoured_below_the_hello_interval)
{
	struct vgw_cli c;
	struct vgw_key key = { 0 };
	unsigned int polls = 0, t;

	conf_of(&c, 100, "--poll-ms", "30");
	decide_init(&R[0].d, &c, &key, htonl(0x0a000002), 1, 4242, now);
	n_routers = 1;
	for (t = 0; t < 1000;) {
		int wait;

		R[0].s.now = now + t;
		R[0].s.link_up = true;
		R[0].s.polled = decide_poll_due(&R[0].d, now + t);
		polls += R[0].s.polled;
		decide_step(&R[0].d, &R[0].s, &R[0].out);
		wait = decide_timeout_ms(&R[0].d, now + t);
		cr_assert_leq(wait, 30, "at %u ms the loop would sleep %d ms", t, wait);
		t += wait ? wait : 1;
	}
	cr_assert_eq(polls, 34, "measurements in 1 s at 30 ms"); /* 0, 30, ..., 990 */
}

Test(decide, the_timeout_is_the_earliest_timer)
{
	struct vgw_cli c;
	struct vgw_key key = { 0 };

	conf_of(&c, 100, "--poll-ms", "1000");
	decide_init(&R[0].d, &c, &key, htonl(0x0a000002), 1, 4242, now);
	cr_assert_eq(decide_timeout_ms(&R[0].d, now), 0, "both due at start");
	R[0].s.now = now;
	R[0].s.link_up = true;
	R[0].s.polled = true;
	decide_step(&R[0].d, &R[0].s, &R[0].out);
	cr_assert_eq(decide_timeout_ms(&R[0].d, now), 100, "the next hello");
	cr_assert_eq(decide_timeout_ms(&R[0].d, now + 40), 60);
}

/* 256 vMACs on one router: more rates than fit one hello (76), all reported within four hellos. */
Test(decide, every_rate_reaches_the_group_with_256_vmacs)
{
	static bool seen[VGW_VMAC_SLOTS];
	struct vgw_cli c;
	struct vgw_key key = { 0 };
	unsigned int hellos = 0, i, n_seen = 0;

	conf_256(&c);
	decide_init(&R[0].d, &c, &key, htonl(0x0a000002), 1, 4242, now);
	n_routers = 1;
	run_ms(500); /* alone: it becomes the AVG and owns all 256 */
	cr_assert_eq(R[0].out.status.role, VGW_STATE_AVG);
	for (i = 1; i <= 256; i++)
		R[0].d.g.rates[i] = (struct vgw_vmac_rate){ i, 100 * i };
	memset(seen, 0, sizeof(seen));
	while (hellos < 4) {
		now += 10;
		step_all();
		if (!R[0].out.send_hello)
			continue;
		hellos++;
		for (i = 0; i < R[0].out.hello.n_rates; i++) {
			const struct vgw_hello_rate *r = &R[0].out.hello.rates[i];

			cr_assert_eq(r->bps, 100ull * r->index);
			if (!seen[r->index])
				n_seen++;
			seen[r->index] = true;
		}
	}
	cr_assert_eq(n_seen, 256, "vMACs whose rate went out in 4 hellos");
}

/* A step that changes every vMAC logs every change, and the role too. */
Test(decide, every_change_of_a_256_vmac_pool_is_logged)
{
	struct vgw_cli c;
	struct vgw_key key = { 0 };
	unsigned int owned_lines = 0, role_lines = 0, t, k;

	conf_256(&c);
	decide_init(&R[0].d, &c, &key, htonl(0x0a000002), 1, 4242, now);
	n_routers = 1;
	for (t = 0; t < 50; t++) {
		now += 10;
		step_all();
		for (k = 0; k < R[0].out.n_log; k++) {
			owned_lines += strstr(R[0].out.log[k], " owned") != NULL;
			role_lines += !strcmp(R[0].out.log[k], "vgw: lan0: role avg");
		}
	}
	cr_assert_eq(owned_lines, 256);
	cr_assert_eq(role_lines, 1);
}

/* Faults of a source's hellos are logged once per source, and counted every time. */
Test(decide, unsigned_hellos_are_logged_once_per_source)
{
	struct vgw_cli c;
	struct vgw_key key = { 4, "k3y!" }, none = { 0 };
	static struct vgw_hello h;
	uint8_t buf[VGW_HELLO_MAX];
	unsigned int lines = 0, step, k;
	int len;

	conf_of(&c, 100, NULL, NULL);
	decide_init(&R[0].d, &c, &key, htonl(0x0a000002), 1, 4242, now);
	n_routers = 1;
	memset(&h, 0, sizeof(h));
	h.group = 1;
	h.priority = 100;
	h.state = VGW_STATE_LISTEN;
	for (step = 0; step < 6; step++) {
		struct vgw_snapshot *s = &R[0].s;

		memset(s, 0, sizeof(*s));
		h.router_id = htonl(step < 3 ? 0x0a000063 : 0x0a000064); /* .99 thrice, then .100 */
		h.seq = step + 1;
		len = hello_encode(&h, &none, buf, sizeof(buf));
		memcpy(s->msgs[0].buf, buf, len);
		s->msgs[0].len = len;
		s->msgs[0].ttl = 255;
		s->msgs[0].from = h.router_id;
		s->n_msgs = 1;
		s->now = now += 10;
		s->link_up = true;
		decide_step(&R[0].d, s, &R[0].out);
		for (k = 0; k < R[0].out.n_log; k++)
			lines += strstr(R[0].out.log[k], "are not signed") != NULL;
	}
	cr_assert_eq(R[0].out.counters.no_auth, 6);
	cr_assert_eq(lines, 2, "one line for 10.0.0.99, one for 10.0.0.100");
	cr_assert_eq(R[0].d.g.n_peers, 0);
}

Test(decide, a_router_silent_past_its_hold_time_is_forgotten_and_logged)
{
	unsigned int lines = 0, k;
	uint64_t end;

	add_router(200);
	add_router(100);
	run_ms(1000);
	cr_assert_eq(R[0].d.g.n_peers, 1);
	R[1].down = true;
	for (end = now + 1000; now < end;) {
		now += 10;
		step_all();
		for (k = 0; k < R[0].out.n_log; k++)
			lines += !strcmp(
				R[0].out.log[k],
				"vgw: lan0: router 10.0.0.3 silent past its hold time, forgotten");
	}
	cr_assert_eq(lines, 1);
	cr_assert_eq(R[0].d.g.n_peers, 0);
	cr_assert_eq(owned(0), 8);
}

/* Its data plane pulled from under it, a router says so once, hands its vMACs over and fails. */
Test(decide, a_data_plane_removed_under_the_daemon_is_left_gracefully)
{
	unsigned int lines = 0, t, k;

	add_router(200);
	add_router(100);
	run_ms(2000);
	cr_assert_eq(R[1].out.status.pid, 4242, "the pid vgw unload looks for");
	for (t = 0; t < 300 && !R[1].out.stop; t++) {
		now += 10;
		R[1].s.dataplane_gone = true;
		step_all();
		for (k = 0; k < R[1].out.n_log; k++)
			lines += strstr(R[1].out.log[k],
					"were removed or replaced under vgw run") != NULL;
	}
	cr_assert(R[1].out.stop, "r1 never stopped");
	cr_assert(R[1].out.failed, "the exit is an error");
	cr_assert_eq(lines, 1);
	cr_assert_eq(owned(0), 8, "r0 took over before r1 went");
}

/* Another pool size is logged once with both values, not once per hello. */
Test(decide, a_mismatch_is_logged_once_naming_the_field_and_both_values)
{
	unsigned int lines = 0, k, t;
	struct vgw_key none = { 0 };
	struct vgw_cli c;

	add_router(200);
	add_router(100);
	c = R[1].d.conf;
	c.hold_ms = 400; /* the timers may differ: logged, tolerated */
	decide_reconfigure(&R[1].d, &c, &none);
	for (t = 0; t < 200; t++) {
		now += 10;
		step_all();
		for (k = 0; k < R[0].out.n_log; k++)
			lines += !strcmp(R[0].out.log[k], "vgw: lan0: router 10.0.0.3 has other "
							  "settings: hold-ms 400 (here 300)");
	}
	cr_assert_eq(lines, 1);
	cr_assert_eq(owned(0) + owned(1), 8, "a timer difference does not split the group");
	cr_assert_eq(R[0].out.routers[1].mismatch, VGW_MISMATCH_HOLD);
}

/* A silent peer is given up at once when its hold time has passed, not at the next hello tick. */
Test(decide, a_silent_peer_is_expired_at_its_hold_time_not_at_the_next_tick)
{
	uint64_t last_heard, t;
	int wait;

	add_router(200);
	add_router(100);
	run_ms(1000);
	cr_assert_eq(R[0].out.status.role, VGW_STATE_AVG);
	last_heard = 0;
	/* the AVG falls silent; r1 steps only when its loop would wake up */
	R[0].down = true;
	for (t = 0; t < 50 && R[1].out.status.role != VGW_STATE_AVG; t++) {
		if (R[1].d.g.n_peers)
			last_heard = R[1].d.g.peers[0].heard_ms; /* a hello still queued counts */
		wait = decide_timeout_ms(&R[1].d, now);
		now += wait ? wait : 1;
		step_all();
	}
	cr_assert_eq(R[1].out.status.role, VGW_STATE_AVG);
	cr_assert_eq(now, last_heard + 300 + 1,
		     "r1 took over exactly a hold time after the last hello");
	cr_assert(R[1].out.send_hello, "and says so at once");
}

/*
 * Router k's daemon dies and a new one starts dead_ms later, as vgw run does
 * on the data plane it adopts: the same config, a later sequence, and with
 * resume the role and table the dead one left in the maps.
 */
static void restart(unsigned int k, uint64_t dead_ms, bool resume)
{
	struct vgw_resume r = { 0 };
	struct vgw_key key = { 0 };
	struct vgw_cli c = R[k].d.conf;

	r.role = R[k].out.status.role;
	memcpy(&r.avg_id, R[k].out.status.avg_id, 4);
	memcpy(r.owner, R[k].out.owner, sizeof(r.owner));
	R[k].down = true;
	run_ms(dead_ms);
	decide_init(&R[k].d, &c, &key, htonl(0x0a000002 + k), 1000000, 4343, now);
	if (resume)
		decide_resume(&R[k].d, &r, now);
	memset(&R[k].s, 0, sizeof(R[k].s));
	R[k].last_now = 0; /* a new process: nothing idle yet */
	R[k].down = false;
}

/* Over ms: whether any router's role or table ever differed from what it was at the start. */
static bool anything_changed_over(uint64_t ms)
{
	uint8_t role[MAXR];
	uint32_t owner[MAXR][VGW_VMAC_SLOTS];
	uint64_t end = now + ms;
	bool changed = false;
	unsigned int k;

	for (k = 0; k < n_routers; k++) {
		role[k] = R[k].out.status.role;
		memcpy(owner[k], R[k].out.owner, sizeof(owner[k]));
	}
	while (now < end) {
		now += 10;
		step_all();
		for (k = 0; k < n_routers; k++)
			changed |= R[k].out.status.role != role[k] ||
				   memcmp(R[k].out.owner, owner[k], sizeof(owner[k]));
	}
	return changed;
}

Test(decide, a_daemon_restarted_within_the_hold_time_carries_on_unchanged)
{
	unsigned int k;

	add_router(200);
	add_router(150);
	add_router(100);
	run_ms(3000);
	cr_assert_eq(R[0].out.status.role, VGW_STATE_AVG);
	cr_assert_eq(R[1].out.status.role, VGW_STATE_STANDBY);
	for (k = 0; k < 3; k++) {
		uint8_t before[VGW_VMAC_SLOTS];

		memcpy(before, R[k].out.vmac_state, sizeof(before));
		restart(k, 150, true);
		cr_assert_not(anything_changed_over(3000), "restart of r%u changed a role or table",
			      k);
		cr_assert_eq(memcmp(before, R[k].out.vmac_state, sizeof(before)), 0);
		cr_assert_eq(R[k].out.n_announce, 0);
	}
	/* the same restart starting over as a new router: the AVG's role moves */
	restart(0, 150, false);
	cr_assert(anything_changed_over(3000));
	cr_assert_eq(R[1].out.status.role, VGW_STATE_AVG);
}

Test(decide, a_daemon_stalled_past_the_hold_time_rejoins_instead_of_claiming_everything)
{
	unsigned int k, t, avgs, most = 0;
	bool logged = false;

	add_router(200);
	add_router(150);
	add_router(100);
	run_ms(3000);
	cr_assert_eq(R[0].out.status.role, VGW_STATE_AVG);
	R[0].down = true; /* SIGSTOP: it runs nothing, sends nothing, hears nothing */
	run_ms(1000);
	cr_assert_eq(R[1].out.status.role, VGW_STATE_AVG, "the standby took over");
	R[0].down = false;
	for (t = 0; t < 300; t++) {
		now += 10;
		step_all();
		for (k = 0; k < R[0].out.n_log; k++)
			logged |= strstr(R[0].out.log[k],
					 "ran nothing for 1010 ms, more than the hold "
					 "time: rejoining the group") != NULL;
		for (avgs = 0, k = 0; k < 3; k++)
			avgs += R[k].out.status.role == VGW_STATE_AVG;
		cr_assert_eq(avgs, 1, "AVGs %u ms after the stall", (t + 1) * 10);
		if (owned(0) > most)
			most = owned(0);
	}
	cr_assert(logged, "no line about the stall");
	cr_assert_leq(most, 3, "the stalled router claimed %u of 8 vMACs", most);
	cr_assert_eq(owned(0) + owned(1) + owned(2), 8);
	cr_assert_geq(owned(0), 2, "back to its share");
}

Test(decide, the_loop_sleeps_while_the_link_is_down)
{
	unsigned int t;

	add_router(200);
	run_ms(1000);
	for (t = 0; t < 50; t++) {
		now += 10;
		memset(&R[0].s, 0, sizeof(R[0].s));
		R[0].s.now = now;
		R[0].s.link_up = false;
		R[0].s.polled = decide_poll_due(&R[0].d, now);
		decide_step(&R[0].d, &R[0].s, &R[0].out);
		/* asleep until the next hello interval, never 0: no busy loop */
		cr_assert_gt(decide_timeout_ms(&R[0].d, now), 0, "timeout at step %u", t);
		cr_assert_leq(decide_timeout_ms(&R[0].d, now), 100);
	}
	cr_assert_eq(R[0].out.status.role, VGW_STATE_INIT);
}

Test(decide, a_slow_step_of_its_own_is_no_stall)
{
	unsigned int k;

	add_router(200);
	run_ms(1000);
	cr_assert_eq(R[0].out.status.role, VGW_STATE_AVG);
	/* its own work (claiming 256 vMACs, say) took 500 ms; it slept 5 ms since */
	now += 500;
	memset(&R[0].s, 0, sizeof(R[0].s));
	R[0].s.now = now;
	R[0].s.idle_ms = 5;
	R[0].s.link_up = true;
	decide_step(&R[0].d, &R[0].s, &R[0].out);
	for (k = 0; k < R[0].out.n_log; k++)
		cr_assert_null(strstr(R[0].out.log[k], "ran nothing"), "%s", R[0].out.log[k]);
	cr_assert_eq(R[0].out.status.role, VGW_STATE_AVG);
}

Test(decide, events_tell_each_role_and_every_vmac_gained_and_lost)
{
	unsigned int e, t, roles = 0;
	uint8_t last_role = 0xff;

	add_router(200);
	add_router(100);
	run_ms(2000);
	/* role events chain: each names the role before it */
	for (e = 0; e < n_ev[0]; e++) {
		if (EV[0][e].kind != VGW_EVENT_ROLE)
			continue;
		cr_assert_eq(EV[0][e].prev_role, last_role, "role event %u", roles);
		last_role = EV[0][e].role;
		roles++;
	}
	cr_assert_eq(last_role, VGW_STATE_AVG);
	cr_assert_eq(roles, 2, "listen (from none), then avg: %u", roles);
	cr_assert_eq(events_of(0, VGW_EVENT_VMAC_GAINED) - events_of(0, VGW_EVENT_VMAC_LOST), 4);
	cr_assert_eq(events_of(1, VGW_EVENT_VMAC_GAINED) - events_of(1, VGW_EVENT_VMAC_LOST), 4);
	cr_assert_eq(events_of(1, VGW_EVENT_LEAVING), 0);
	n_ev[0] = n_ev[1] = 0;
	R[1].s.term = true;
	for (t = 0; t < 300 && !R[1].out.stop; t++) {
		now += 10;
		step_all();
	}
	cr_assert(R[1].out.stop);
	cr_assert_eq(events_of(1, VGW_EVENT_LEAVING), 1);
	cr_assert_eq(events_of(1, VGW_EVENT_VMAC_LOST), 4);
	cr_assert_eq(events_of(1, VGW_EVENT_VMAC_GAINED), 0);
	cr_assert_eq(events_of(0, VGW_EVENT_VMAC_GAINED), 4, "r0 takes r1's vMACs");
	for (e = 0; e < n_ev[1]; e++)
		if (EV[1][e].kind == VGW_EVENT_VMAC_LOST)
			cr_assert_eq(EV[1][e].router, htonl(0x0a000002), "lost to r0");
}

Test(decide, a_router_with_other_settings_is_one_mismatch_event)
{
	struct vgw_cli c;
	struct vgw_key key = { 0 };

	add_router(200);
	conf_of(&c, 100, NULL, NULL);
	c.hold_ms = 400; /* one setting that differs: r0 hears it in r1's hellos */
	decide_init(&R[1].d, &c, &key, htonl(0x0a000003), 1000, 4242, now);
	memset(&R[1].s, 0, sizeof(R[1].s));
	n_routers = 2;
	run_ms(2000);
	cr_assert_eq(events_of(0, VGW_EVENT_MISMATCH), 1);
	for (unsigned int e = 0; e < n_ev[0]; e++)
		if (EV[0][e].kind == VGW_EVENT_MISMATCH) {
			cr_assert_eq(EV[0][e].router, htonl(0x0a000003));
			cr_assert_eq(EV[0][e].mismatch, VGW_MISMATCH_HOLD);
		}
}

/* Routers' own MACs, as their hellos name them: 52:54:00:00:00:0k. */
static void give_macs(void)
{
	unsigned int k;

	for (k = 0; k < n_routers; k++) {
		uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, (uint8_t)(k + 1) };

		decide_set_mac(&R[k].d, mac);
	}
}

static void look_for(const char *s)
{
	needle = s;
	memset(needle_hits, 0, sizeof(needle_hits));
}

/* The first vMAC router k owns. */
static uint16_t first_owned(unsigned int k)
{
	uint16_t i;

	for (i = 1; i <= 8; i++)
		if (R[k].out.vmac_state[i] == VGW_VMAC_OWNED)
			return i;
	cr_assert_fail("router %u owns nothing", k);
	return 0;
}

static unsigned int windows_of(unsigned int k)
{
	unsigned int n = 0, i;

	for (i = 1; i <= 8; i++)
		n += R[k].out.handoff[i].until_ms != 0;
	return n;
}

Test(decide, a_vmac_moved_from_a_live_router_hands_its_connections_back_for_the_window)
{
	static const uint8_t mac0[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 };
	uint32_t id0 = htonl(0x0a000002);
	uint64_t moved, opened = 0;
	uint16_t i;

	add_router_with(200, "--handoff-ms", "5000");
	add_router_with(100, "--handoff-ms", "5000");
	give_macs();
	run_ms(2000);
	cr_assert_eq(R[0].out.status.role, VGW_STATE_AVG);
	cr_assert_eq(windows_of(0) + windows_of(1), 0, "the first share-out hands nothing off");
	i = first_owned(0);
	look_for("connections open through 10.0.0.2 go on there for 5 s");
	group_move(&R[0].d.g, i, R[1].d.self_id, now); /* what a balance round does */
	moved = now;
	while (now < moved + 500 && !opened) {
		now += 10;
		step_all();
		if (R[1].out.handoff[i].until_ms)
			opened = now;
	}
	cr_assert_neq(opened, 0, "no window on the new owner");
	cr_expect_eq(R[1].out.vmac_state[i], VGW_VMAC_OWNED);
	cr_expect_arr_eq(R[1].out.handoff[i].mac, mac0, 6);
	cr_expect_arr_eq(R[1].out.handoff[i].to_id, &id0, 4);
	cr_expect_eq(R[1].out.handoff[i].start_ms, opened);
	cr_expect_eq(R[1].out.handoff[i].until_ms, opened + 5000);
	cr_expect_eq(windows_of(1), 1);
	cr_expect_eq(windows_of(0), 0, "the old owner hands nothing off");
	cr_expect_eq(needle_hits[1], 1);
	look_for("vMAC");
	run_ms(opened + 4990 - now);
	cr_expect_eq(windows_of(1), 1, "still open 10 ms before its end");
	look_for("handoff to 10.0.0.2 ended (the window is over): 0 packets handed off");
	run_ms(20);
	cr_expect_eq(windows_of(1), 0);
	cr_expect_eq(needle_hits[1], 1, "the end is logged once");
	run_ms(1000);
	cr_expect_eq(needle_hits[1], 1);
}

/* Router 0's first vMAC moves to router 1 (as a balance round moves it): its index. */
static uint16_t move_first_vmac_of_0_to_1(void)
{
	uint16_t i = first_owned(0);

	group_move(&R[0].d.g, i, R[1].d.self_id, now);
	return i;
}

/* Two routers with their MACs known; one vMAC has moved, and router 1 hands it off. */
static void one_window_open(void)
{
	add_router(200);
	add_router(100);
	give_macs();
	run_ms(2000);
	move_first_vmac_of_0_to_1();
	run_ms(200);
	cr_assert_eq(windows_of(1), 1);
}

/*
 * A chain: vMAC i goes r0 -> r1 -> r2. r1's window (to r0) outlives the move:
 * what r2 hands r1 of r0's connections goes on to r0; back at r0, it ends.
 */
Test(decide, a_window_goes_on_when_its_vmac_moves_on_and_ends_when_it_goes_back)
{
	uint16_t i;

	add_router_with(200, "--handoff-ms", "5000");
	add_router_with(100, "--handoff-ms", "5000");
	add_router_with(50, "--handoff-ms", "5000");
	give_macs();
	run_ms(2000);
	cr_assert_eq(R[0].out.status.role, VGW_STATE_AVG);
	i = first_owned(0);
	group_move(&R[0].d.g, i, R[1].d.self_id, now);
	run_ms(500);
	cr_assert_eq(R[1].out.vmac_state[i], VGW_VMAC_OWNED);
	cr_assert_neq(R[1].out.handoff[i].until_ms, 0, "r1 hands r0's connections back");
	look_for("moved on: connections its new owner hands here go on to 10.0.0.2");
	group_move(&R[0].d.g, i, R[2].d.self_id, now);
	run_ms(1000);
	cr_assert_eq(R[1].out.vmac_state[i], VGW_VMAC_FOREIGN);
	cr_expect_neq(R[1].out.handoff[i].until_ms, 0, "r1's window outlives the move");
	cr_expect_neq(R[2].out.handoff[i].until_ms, 0, "r2 hands r1 what it does not know");
	cr_expect_eq(needle_hits[1], 1, "one line: the window goes on");
	look_for("went back to that router");
	group_move(&R[0].d.g, i, R[0].d.self_id, now);
	run_ms(1000);
	cr_expect_eq(R[1].out.handoff[i].until_ms, 0, "back at r0: r1's window ends");
	cr_expect_eq(needle_hits[1], 1, "logged once");
}

Test(decide, the_window_ends_when_the_old_owner_falls_silent)
{
	one_window_open();
	look_for("handoff to 10.0.0.2 ended (that router is gone)");
	R[0].down = true;
	run_ms(250);
	cr_expect_eq(windows_of(1), 1, "within the hold time, the old owner may just be slow");
	run_ms(200);
	cr_expect_eq(windows_of(1), 0);
	cr_expect_eq(needle_hits[1], 1);
}

Test(decide, while_handed_off_frames_cannot_leave_no_window_is_open)
{
	uint16_t j;

	one_window_open();
	look_for("handoff to 10.0.0.2 ended (handed-off frames cannot leave the interface)");
	R[1].no_tx = true; /* the veth's peer dropped its XDP program */
	run_ms(20);
	cr_expect_eq(windows_of(1), 0);
	cr_expect_eq(needle_hits[1], 1);
	j = move_first_vmac_of_0_to_1();
	run_ms(200);
	cr_assert_eq(R[1].out.vmac_state[j], VGW_VMAC_OWNED);
	cr_expect_eq(windows_of(1), 0, "none opens while frames cannot leave");
	cr_expect_eq(needle_hits[1], 1, "logged once");
}

Test(decide, vmacs_of_a_dead_router_open_no_window)
{
	unsigned int k, seen = 0, t;

	add_router(200);
	add_router(150);
	add_router(100);
	give_macs();
	run_ms(2000);
	cr_assert_gt(owned(2), 0);
	R[2].down = true;
	for (t = 0; t < 200; t++) {
		now += 10;
		step_all();
		for (k = 0; k < 2; k++)
			seen += windows_of(k);
	}
	cr_assert_eq(owned(0) + owned(1), 8, "the survivors took its vMACs");
	cr_expect_eq(seen, 0, "nothing handed to a dead router");
}

Test(decide, handoff_ms_0_opens_no_window)
{
	uint16_t i;

	add_router_with(200, "--handoff-ms", "0");
	add_router_with(100, "--handoff-ms", "0");
	give_macs();
	run_ms(2000);
	i = move_first_vmac_of_0_to_1();
	run_ms(500);
	cr_assert_eq(R[1].out.vmac_state[i], VGW_VMAC_OWNED);
	cr_expect_eq(windows_of(1), 0);
}

Test(decide, a_router_whose_hellos_name_no_mac_gets_nothing_handed)
{
	uint16_t i;

	add_router(200);
	add_router(100);
	run_ms(2000); /* no decide_set_mac: hellos without the MAC TLV (an older vgw) */
	i = move_first_vmac_of_0_to_1();
	run_ms(500);
	cr_assert_eq(R[1].out.vmac_state[i], VGW_VMAC_OWNED);
	cr_expect_eq(windows_of(1), 0);
}

/* The time from SIGTERM to the stop, with flows handed off to router 1 meanwhile. */
static uint64_t stop_after(uint64_t flows_for_ms, uint64_t limit_ms)
{
	uint64_t t0 = now;

	R[1].flows = 5;
	R[1].s.term = true;
	while (!R[1].out.stop && now < t0 + limit_ms) {
		now += 10;
		if (now >= t0 + flows_for_ms)
			R[1].flows = 0;
		step_all();
	}
	cr_assert(R[1].out.stop, "never stopped");
	return now - t0;
}

Test(decide, a_graceful_stop_waits_for_handed_off_connections_until_they_end)
{
	uint64_t took;

	add_router(200);
	add_router_with(100, "--drain-ms", "3000");
	give_macs();
	run_ms(2000);
	look_for("waiting up to");
	took = stop_after(2000, 10000);
	cr_expect_geq(took, 2000, "stopped after %llu ms, with connections open",
		      (unsigned long long)took);
	/* seen at the next poll (1 s), acted on at the next hello (100 ms) */
	cr_expect_leq(took, 2000 + 1000 + 100, "took %llu ms", (unsigned long long)took);
	cr_expect_eq(needle_hits[1], 1);
	cr_expect_eq(owned(0), 8);
}

Test(decide, the_drain_ends_at_drain_ms_with_connections_still_open)
{
	uint64_t took;

	add_router(200);
	add_router_with(100, "--drain-ms", "3000");
	give_macs();
	run_ms(2000);
	look_for("drain time over: stopping with 5 handed-off connections still open");
	took = stop_after(100000, 10000);
	cr_expect_geq(took, 3000, "took %llu ms", (unsigned long long)took);
	cr_expect_leq(took, 3000 + 100, "took %llu ms", (unsigned long long)took);
	cr_expect_eq(needle_hits[1], 1);
}

/*
 * The race a new user met: the first handed-off frame comes only after the
 * new owner took the vMACs, and the count of none read before that (the last
 * poll) must not end the stop: the connections would go to a router gone.
 */
Test(decide, connections_handed_off_after_the_vmacs_moved_are_waited_for)
{
	uint64_t t0, released = 0;

	add_router(200);
	add_router_with(100, "--drain-ms", "5000");
	give_macs();
	run_ms(2000);
	look_for("waiting up to");
	t0 = now;
	R[1].flows = 0;
	R[1].s.term = true;
	while (!R[1].out.stop && now < t0 + 10000) {
		now += 10;
		if (!released && owned(1) == 0)
			released = now;
		/* handed back from 150 ms after the move, for 2 s */
		R[1].flows = released && now >= released + 150 && now < released + 2150 ? 2 : 0;
		step_all();
	}
	cr_assert(R[1].out.stop, "never stopped");
	cr_expect_eq(needle_hits[1], 1, "the wait for the handed-off connections was not logged");
	cr_expect_geq(now, released + 2150, "stopped %llu ms after the move, connections open",
		      (unsigned long long)(now - released));
}

Test(decide, without_handed_off_connections_a_stop_does_not_wait)
{
	uint64_t took;

	add_router(200);
	add_router_with(100, "--drain-ms", "3000");
	give_macs();
	run_ms(2000);
	took = stop_after(0, 10000);
	/* the count read a settle time after the move, not the drain time (3 s) */
	cr_expect_lt(took, 100 + VGW_HANDOFF_SETTLE_MS + 300, "took %llu ms",
		     (unsigned long long)took);
}
