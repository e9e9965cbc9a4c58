/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Group state: peers, AVG election, vMAC ownership. Pure: it takes hellos
 * and the time and returns roles, tables and hellos to send; the daemon does
 * the sockets, timers and maps. Times are in ms on a clock the caller owns.
 */
#ifndef VGW_GROUP_H
#define VGW_GROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "hello.h"

struct vgw_group_config {
	uint16_t group;
	uint32_t self_id; /* network order */
	uint8_t priority;
	uint8_t weight;
	bool preempt;
	uint32_t preempt_delay_ms;
	uint32_t hello_ms;
	uint32_t hold_ms;
	uint16_t n_vmacs;
	uint32_t vip; /* network order; with n_vmacs, what every router of the group must share */
	uint8_t vip6[16]; /* and these: all zero where not served */
	uint8_t vip6_global[16];
	uint8_t mac[6];		   /* this router's own MAC, sent in hellos (all zero: none) */
	uint32_t release_grace_ms; /* a lost vMAC is still forwarded this long */
	uint8_t weight_lower;	   /* below it a router gives its vMACs away (0: never) */
	uint8_t weight_upper;	   /* above it a router takes some back */
	uint32_t handoff_ms;	   /* how long a handoff window may stay open (0: none) */
};

/*
 * Who took a vMAC from whom, and when. A router that took one from a live
 * router opened a handoff window to it (the flows that live there) and
 * passes such flows on to it after the vMAC moved on (handoff.h). Given the
 * vMAC back by a third router, its new window would go to that third one,
 * and the first one's flows would have no way left but to be forwarded, and
 * reset (chaos seeds 6: a balance round, then a weight change). So no vMAC
 * goes back to a router whose last window for it may still be open to
 * another router than the owner, where another can take it (group_barred).
 * Every router keeps this history from the tables it sees: a new AVG has it.
 */
#define VGW_GAINS 4
struct vgw_gain {
	uint32_t router, from; /* from 0: it had no owner */
	uint64_t at;
};

struct vgw_peer {
	uint32_t id;
	uint8_t priority;
	uint8_t weight;
	uint8_t state;
	uint32_t hold_ms;
	uint64_t last_seq;
	uint64_t heard_ms; /* a peer silent past its hold time leaves the list */
	bool eligible;	   /* the AVG's view: may own vMACs (weight thresholds) */
	bool has_params;
	uint32_t vip;
	uint8_t vip6[16]; /* all zero when its hello has no IPv6 addresses */
	uint8_t vip6_global[16];
	uint16_t n_vmacs;
	uint32_t hello_ms;
	bool has_mac; /* its hellos name its own MAC */
	uint8_t mac[6];
};

/* How a peer's settings differ from this router's (vgw_router_info.mismatch). */
enum vgw_mismatch {
	VGW_MISMATCH_VIP = 1,
	VGW_MISMATCH_VMACS = 2,
	VGW_MISMATCH_HELLO = 4,
	VGW_MISMATCH_HOLD = 8,
};

enum vgw_drop_reason {
	VGW_DROP_REPLAY = VGW_HELLO_ERR_COUNT,
	VGW_DROP_TOO_MANY_PEERS,
	VGW_DROP_COUNT,
};

struct vgw_group {
	struct vgw_group_config cfg;
	uint8_t state;	/* enum vgw_router_state */
	uint8_t weight; /* current weight (tracking lowers it) */
	bool eligible;	/* weight thresholds allow owning vMACs */
	bool leaving;	/* graceful stop under way */
	bool outvoted;	/* more routers (or better ones) share other settings: stand aside */
	uint64_t started_ms;
	uint64_t resumed_until_ms; /* a restarted daemon keeps its predecessor's role until then */
	uint64_t preempt_since_ms; /* 0: not waiting to preempt */
	unsigned int n_peers;
	struct vgw_peer peers[VGW_MAX_ROUTERS - 1];
	/* peers silent past their hold time leave peers[]; their last sequence
	 * numbers stay here a while, so their old hellos cannot be replayed */
	struct {
		uint32_t id;
		uint64_t last_seq;
	} forgotten[VGW_MAX_ROUTERS];
	unsigned int n_forgotten; /* entries written, the oldest overwritten first */
	uint32_t avg_id;	  /* 0: none known */
	uint32_t epoch;
	uint32_t owner[VGW_MAX_VMACS + 1];		     /* owner[index]: router id, 0 none */
	uint64_t release_until[VGW_MAX_VMACS + 1];	     /* make-before-break deadline */
	struct vgw_gain gains[VGW_MAX_VMACS + 1][VGW_GAINS]; /* newest first */
	uint64_t drops[VGW_DROP_COUNT];
	/* the eligible routers when the pool was last shared out by count */
	unsigned int n_members;
	uint32_t members[VGW_MAX_ROUTERS];
	uint8_t member_weights[VGW_MAX_ROUTERS];
	/* each vMAC's rate as its owner reports it (own ones: set by the daemon) */
	struct vgw_vmac_rate rates[VGW_MAX_VMACS + 1];
};

void group_init(struct vgw_group *g, const struct vgw_group_config *cfg, uint64_t now);

/*
 * A daemon restarted within the hold time takes over its predecessor's role,
 * AVG and table (owner[1..n_vmacs]), which the group still counts on. For a
 * hold time it keeps them while the peers' hellos come in: no election, and
 * an AVG shares nothing out until it knows the routers again.
 */
void group_resume(struct vgw_group *g, uint8_t state, uint32_t avg_id, const uint32_t *owner,
		  uint64_t now);

/* A decoded hello arrived. Returns 0 if accepted, else the drop reason (also counted). */
int group_receive(struct vgw_group *g, const struct vgw_hello *h, uint64_t now);

/*
 * Forget peers silent past their hold time (they leave the router list, so
 * forged ids cannot fill it for good), elect, and (on the AVG) reassign.
 * Call at least every hello.
 */
void group_tick(struct vgw_group *g, uint64_t now);

/* The hello this router sends now (no seq, no rates: the daemon adds those). */
void group_hello(const struct vgw_group *g, struct vgw_hello *out);

/* What this router's data plane must do with vMAC index: enum vgw_vmac_state. */
uint8_t group_vmac_state(const struct vgw_group *g, uint16_t index, uint64_t now);

/*
 * The AVG's balancer moves vMAC index to router `to`. The pool is shared out
 * by count only when the set of routers (or a weight) changes, so such moves
 * stand until then.
 */
void group_move(struct vgw_group *g, uint16_t index, uint32_t to, uint64_t now);

/*
 * Start leaving (graceful stop): advertise weight 0, so that the AVG moves
 * this router's vMACs away. A leaving AVG does that itself and keeps the
 * role until group_handoff(), after which its hellos say LEAVING and the
 * standby takes over at once.
 */
void group_leave(struct vgw_group *g);
void group_handoff(struct vgw_group *g);
/* The peer with that id, or NULL. */
const struct vgw_peer *group_peer(const struct vgw_group *g, uint32_t id);
/* Names of enum vgw_router_state and enum vgw_vmac_state, for logs and status. */
const char *group_state_name(uint8_t state);
const char *group_vmac_state_name(uint8_t state);

/* enum vgw_mismatch bits: how peer p's settings differ from this router's. */
unsigned int group_mismatch(const struct vgw_group *g, const struct vgw_peer *p);

/* Whether this router still owns any vMAC in the AVG's table. */
bool group_owns_any(const struct vgw_group *g);

/*
 * The assignment: n_vmacs shared among routers in proportion to weight,
 * keeping every vMAC where it is unless its owner has more than its share.
 * ids/weights: eligible routers; owner[1..n_vmacs] in and out; barred
 * (NULL: none): per vMAC, the routers (a bit per position in ids) it goes to
 * only when no other lacks one; held (NULL: none): vMACs an owner over its
 * share keeps all the same (only an owner leaving, or gone, loses them).
 * Returns the number of vMACs that changed owner.
 */
unsigned int assign_vmacs(const uint32_t *ids, const uint8_t *weights, unsigned int n_routers,
			  uint16_t n_vmacs, uint32_t *owner, const uint16_t *barred,
			  const bool *held);

/*
 * The routers of ids[0..n) (a bit per position) vMAC v should not go to at
 * now: those whose last handoff window for it may still be open to another
 * router than its owner (struct vgw_gain). 0 with handoff_ms 0.
 */
uint16_t group_barred(const struct vgw_group *g, uint16_t v, const uint32_t *ids, unsigned int n,
		      uint64_t now);

/*
 * Whether moving vMAC v now would strand flows: its owner's window goes to
 * a router whose own window for v still goes to a third. What the new owner
 * hands the owner, the owner passes on once (from its own MAC), and a pass
 * from a router's MAC names no vMAC, so the third's flows would be forwarded
 * and reset (chaos seed 6: A -> B -> C -> D within the windows). Such a
 * vMAC stays put while it can: the balancer leaves it, a share-out leaves it
 * with its owner, over its count or not; a failover or a stop moves it.
 */
bool group_held(const struct vgw_group *g, uint16_t v, uint64_t now);

#endif
