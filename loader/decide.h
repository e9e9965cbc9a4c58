/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * vgw run's policy, one step per loop iteration: a snapshot of the world in
 * (the clock, hellos received, link states, signals, counters on a poll),
 * decisions out (the data plane's table, announces, the hello to send, what
 * to publish, log lines). Pure: no sockets, maps or clocks, so every rule
 * that decides whether a host is black-holed runs under unit tests on a fake
 * clock. daemon.c gathers the snapshot and act.c applies the decisions.
 */
#ifndef VGW_DECIDE_H
#define VGW_DECIDE_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"
#include "group.h"
#include "handoff.h"
#include "hello.h"
#include "lanview.h"
#include "rates.h"
#include "rebalance.h"
#include "steerhist.h"

#define SNAP_MSGS      32 /* datagrams taken per iteration; more wait for the next one */
#define DECIDE_LOGS    (VGW_MAX_VMACS + 32) /* a line per vMAC, and some */
#define DECIDE_LOGLEN  200
#define DECIDE_SOURCES 64 /* sources whose faults are logged; further ones are counted only */

struct vgw_snap_msg {
	uint8_t buf[VGW_HELLO_MAX + 1];
	size_t len;
	int ttl;       /* -1: unknown */
	uint32_t from; /* source IPv4 address, network order; IPv6: its four words XORed */
	bool from_v6;
	uint8_t from6[16]; /* source IPv6 address, with from_v6 */
};

/* What notify.c counts of the --notify runs. */
struct vgw_notify_counters {
	uint64_t runs;	   /* --notify commands started */
	uint64_t failed;   /* ... that exited non-zero, were killed or did not start */
	uint64_t timeouts; /* ... killed after --notify-timeout-ms */
	uint64_t dropped;  /* events not run: too many were waiting */
};

struct vgw_snapshot {
	uint64_t now;	  /* ms */
	uint64_t idle_ms; /* since the last step's decisions were applied; 0 at the first */
	bool link_up;
	unsigned int tracks_down; /* tracked interfaces down */
	bool term;		  /* SIGTERM or SIGINT arrived */
	bool dataplane_gone;	  /* our XDP program or pins were removed or replaced */
	unsigned int n_msgs;
	struct vgw_snap_msg msgs[SNAP_MSGS];
	/* read only when decide_poll_due() said so */
	bool polled;
	struct vgw_vmac_counters counters[VGW_VMAC_SLOTS];
	uint64_t answers[VGW_VMAC_SLOTS];
	uint64_t router_answers[VGW_MAX_ROUTERS + 1]; /* and the group's */
	uint64_t hosts;				      /* hosts the AVG answered recently */
	struct vgw_nd_counters nd;
	struct vgw_handoff_counters handoff[VGW_VMAC_SLOTS]; /* with --handoff-ms */
	uint64_t handoff_flows; /* flows other routers hand off to this one, open now */
	bool handoff_no_tx;	/* handed-off frames cannot leave (a veth's peer without XDP) */
	/* what act.c did up to the last pass: decide.c publishes the counts */
	uint64_t hellos_sent;
	struct vgw_notify_counters notify;
};

/* What --notify hooks are told of (notify.c runs them). */
enum vgw_event_kind {
	VGW_EVENT_ROLE = 1,    /* role, prev_role */
	VGW_EVENT_VMAC_GAINED, /* index: this router forwards it now */
	VGW_EVENT_VMAC_LOST,   /* index, router: given to router (0: none known) */
	VGW_EVENT_MISMATCH,    /* router, mismatch: a peer's settings differ from ours */
	VGW_EVENT_LEAVING,     /* a graceful stop began */
};

struct vgw_event {
	uint8_t kind;	   /* enum vgw_event_kind */
	uint8_t role;	   /* this router's role when it happened */
	uint8_t prev_role; /* VGW_EVENT_ROLE: 0xff at the first */
	uint8_t mismatch;  /* VGW_MISMATCH_* bits */
	uint16_t index;
	uint32_t router; /* network order */
};

#define DECIDE_EVENTS (VGW_MAX_VMACS + VGW_MAX_ROUTERS + 4)

/* What the daemon counts in memory, not in a map (an old data plane's pins stay as they were). */
struct vgw_run_counters {
	uint64_t balance_rounds; /* rounds in which the AVG moved vMACs */
	uint64_t balance_moves;	 /* vMACs it moved */
	struct vgw_notify_counters notify;
};

struct vgw_decisions {
	/* the data plane's table: state and owner of every vMAC */
	uint8_t vmac_state[VGW_VMAC_SLOTS];
	uint32_t owner[VGW_VMAC_SLOTS];
	struct vgw_handoff handoff[VGW_VMAC_SLOTS]; /* until_ms 0: no window */
	unsigned int n_announce;
	uint16_t announce[VGW_VMAC_SLOTS];
	bool send_hello;
	struct vgw_hello hello;
	/* published: always current */
	struct vgw_vmac_rate rates[VGW_VMAC_SLOTS];
	struct vgw_steer_params params;
	struct vgw_daemon_status status;
	struct vgw_router_info routers[VGW_MAX_ROUTERS];
	struct vgw_hello_counters counters;
	bool steer_valid; /* steer holds this poll's data */
	struct vgw_steer_data steer;
	/* the heartbeat: unless beaten again, the data plane fails safe this long from now */
	uint32_t heartbeat_ms;
	bool stop;
	bool failed; /* the exit is an error */
	struct vgw_run_counters run;
	unsigned int n_events;
	struct vgw_event events[DECIDE_EVENTS];
	/* last, so that a step clears only the lines it uses */
	unsigned int n_log;
	uint8_t log_level[DECIDE_LOGS]; /* enum vgw_log_level */
	char log[DECIDE_LOGS][DECIDE_LOGLEN];
};

/* Hellos out: when the next is due, and what the last carried. */
struct vgw_decide_tx {
	uint64_t next_ms;
	uint64_t seq;
	uint32_t epoch;	       /* the table's epoch the last hello carried */
	uint16_t rates_cursor; /* the last vMAC whose rate went out */
};

/* Measurements: when the next poll is due, and what the last one found. */
struct vgw_decide_poll {
	uint64_t next_ms;
	uint64_t host_load; /* the last poll's, until the next one */
};

/* What the data plane, the switch's view and the log last saw of the table and the role. */
struct vgw_decide_seen {
	uint32_t owner[VGW_VMAC_SLOTS];
	uint8_t state[VGW_VMAC_SLOTS];
	uint8_t role; /* 0xff: none logged yet */
};

/* A graceful stop on its way (decide_leave.c). */
struct vgw_decide_leave {
	uint64_t started_ms;
	uint64_t deadline_ms;	/* it ends then, done or not */
	uint64_t avg_handed_ms; /* when the AVG role went to a peer; 0: not yet */
	uint64_t released_ms;	/* when this router let its last vMAC go; 0: not yet */
	bool drain_told;	/* "waiting for N connections" logged */
};

/* Connections handed off from vMACs this router gained (decide_handoff.c). */
struct vgw_decide_handoff {
	struct vgw_handoff_window windows[VGW_VMAC_SLOTS];
	uint64_t sent[VGW_VMAC_SLOTS]; /* sent_packets at the last poll */
	uint64_t flows_open;	       /* handed off to this router, at the last poll */
	uint64_t flows_at;	       /* when that poll was */
	bool no_tx;		       /* the last snapshot's handoff_no_tx */
};

/* Faults an operator hears of once (decide_told.c): what was told already. */
struct vgw_decide_told {
	/* (source, drop reason) pairs: each fault once per source */
	unsigned int n_src;
	struct {
		uint32_t from;
		uint8_t reason;
	} src[DECIDE_SOURCES];
	struct {
		uint32_t id;
		uint8_t mismatch;
	} mismatch[VGW_MAX_ROUTERS]; /* per peer, once per change */
	bool outvoted;
	uint64_t nd_base[3]; /* the ND fault counters at the first poll */
	bool nd_based;
	bool nd_logged[3];
};

/* One step's working space: too large for the stack, and no function keeps it. */
struct vgw_decide_scratch {
	struct vgw_hello hello; /* a hello received: 4 KiB of rates */
	struct rebalance_round round;
};

struct vgw_decide {
	struct vgw_cli conf;
	struct vgw_key key;
	uint32_t self_id;
	uint32_t pid;
	struct vgw_group g;
	struct vgw_rates rates;
	struct vgw_rebalance rb;
	struct vgw_steer_hist steer;
	struct vgw_lanview lan;
	struct vgw_hello_counters counters;
	struct vgw_run_counters run;
	struct vgw_decide_tx tx;
	struct vgw_decide_poll poll;
	struct vgw_decide_seen seen;
	struct vgw_decide_leave leave;
	struct vgw_decide_handoff ho;
	struct vgw_decide_told told;
	struct vgw_decide_scratch scratch;
	bool link_down;
	bool stop;
	bool dataplane_gone; /* logged, leaving, and the exit will be an error */
};

/*
 * self_id in network order; seq: the first hello's sequence number minus one;
 * pid: the daemon's, published for vgw unload to see.
 */
void decide_init(struct vgw_decide *d, const struct vgw_cli *conf, const struct vgw_key *key,
		 uint32_t self_id, uint64_t seq, uint32_t pid, uint64_t now);
/* What a daemon restarted within the hold time takes over from the one that died. */
struct vgw_resume {
	uint8_t role; /* enum vgw_router_state */
	uint32_t avg_id;
	uint32_t owner[VGW_VMAC_SLOTS];		    /* the data plane's table: router ids, 0 none */
	struct vgw_handoff handoff[VGW_VMAC_SLOTS]; /* windows open (until_ms 0: none) */
};

/* After decide_init: carry on as the predecessor did (group_resume), nothing changed. */
void decide_resume(struct vgw_decide *d, const struct vgw_resume *r, uint64_t now);

/* This router's own MAC, which its hellos name (where others hand connections off to). */
void decide_set_mac(struct vgw_decide *d, const uint8_t mac[6]);

/* SIGHUP: what can change while running does (the caller keeps the rest). */
void decide_reconfigure(struct vgw_decide *d, const struct vgw_cli *conf,
			const struct vgw_key *key);

/* Whether the next snapshot must carry counters (a measurement is due). */
bool decide_poll_due(const struct vgw_decide *d, uint64_t now);

/* One step. out is fully written. */
void decide_step(struct vgw_decide *d, const struct vgw_snapshot *s, struct vgw_decisions *out);

/* How long the loop may sleep: until the earliest of the next hello, measurement and announce. */
int decide_timeout_ms(const struct vgw_decide *d, uint64_t now);

#endif
