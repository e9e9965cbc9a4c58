/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * vgw run --notify CMD: decide.c's events become runs of CMD, one at a time
 * and in order (a conntrackd hook must see "avg" after "standby", never
 * before), each killed after --notify-timeout-ms. The loop never waits: it
 * starts a run, and a later pass (woken by SIGCHLD) reaps it, logs its exit
 * status and starts the next. Events wait in a bounded queue.
 *
 * CMD EVENT IFACE GROUP [fields], with the same in the environment:
 *   role IF G NEW OLD            VGW_ROLE, VGW_PREV_ROLE
 *   vmac-gained IF G INDEX MAC   VGW_VMAC_INDEX, VGW_VMAC
 *   vmac-lost IF G INDEX MAC TO  ... and VGW_ROUTER (the new owner, or "")
 *   mismatch IF G ROUTER WHAT    VGW_ROUTER, VGW_MISMATCH (vip,vmacs,hello_ms,hold_ms)
 *   leaving IF G
 * and VGW_EVENT, VGW_IFACE, VGW_GROUP, VGW_ROLE (the role at the event) always.
 */
#ifndef VGW_NOTIFY_H
#define VGW_NOTIFY_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "decide.h"

#define NOTIFY_QUEUE  256
#define NOTIFY_ARGS   8
#define NOTIFY_ENVS   10
#define NOTIFY_STRLEN 64

/* One run's argv and its VGW_* environment; pure. */
struct notify_cmdline {
	char arg[NOTIFY_ARGS][NOTIFY_STRLEN];
	char env[NOTIFY_ENVS][NOTIFY_STRLEN];
	unsigned int n_args, n_envs; /* arg[0] is the event: the caller puts CMD before it */
};

void notify_cmdline(const struct vgw_event *ev, const char *iface, unsigned int group,
		    struct notify_cmdline *out);

struct vgw_notify {
	char cmd[256]; /* empty: no hooks */
	unsigned int timeout_ms;
	char iface[IF_NAMESIZE];
	unsigned int group;
	struct vgw_event queue[NOTIFY_QUEUE];
	unsigned int head, n_queued;
	bool overflowed; /* logged; cleared once the queue has room again */
	pid_t pid;	 /* the run under way; 0: none */
	struct vgw_event running;
	uint64_t started_ms;
	bool killed;
	struct vgw_notify_counters counters;
};

void notify_init(struct vgw_notify *n, const char *cmd, unsigned int timeout_ms, const char *iface,
		 unsigned int group);
void notify_queue(struct vgw_notify *n, const struct vgw_event *ev, unsigned int count);
/* Reap, time out and start runs; call on every pass. */
void notify_poll(struct vgw_notify *n, uint64_t now_ms);
/* How long the loop may sleep before notify_poll must run (-1: no run under way). */
int notify_timeout_ms(const struct vgw_notify *n, uint64_t now_ms);
/* At exit: the queue's runs, for at most one timeout in all; then kill what still runs. */
void notify_drain(struct vgw_notify *n);

#endif
