/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * vgw run inside: the daemon's state, shared by daemon.c (the loop, the
 * sockets, the signals) and daemon_setup.c (set-up, SIGHUP, the handoff that
 * waits for conntrack). Not for other callers: daemon.h is the interface.
 */
#ifndef VGW_DAEMON_COMMON_H
#define VGW_DAEMON_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include "act.h"
#include "cli.h"
#include "decide.h"
#include "maps.h"
#include "metrics.h"

#define HOSTS_RECENT_MS 600000 /* hosts answered this recently size a host's load */
#define FAST_PORTS_MS	1000   /* how often --fast-path re-reads which egress takes XDP */

struct daemon {
	struct vgw_cli conf;
	int argc;
	char **argv;
	struct vgw_maps m;
	struct vgw_beat *beat;
	struct vgw_metrics *metrics; /* --metrics, or NULL */
	int ifindex, sock, sigfd, pkt_fd;
	int lock_fd;	      /* held while we live: another vgw run on the interface is refused */
	int fast_watch_fd;    /* --fast-path: told when a device's XDP features change; or -1 */
	bool ready, stopping; /* told systemd */
	bool hello_tried;     /* a first hello went to act.c: READY after the next pass */
	uint64_t acted_at;    /* ms: when the last decisions were applied */
	uint64_t fast_synced_at; /* ms: when fwd_ports was last brought up to date */
	bool veth_native;	 /* native XDP on a veth: XDP_TX needs the peer's consent */
	bool handoff_tx_told;	 /* handoff_tx_check() has logged its finding */
	bool handoff_no_tx;	 /* its finding: handed-off frames cannot leave (the snapshot's) */
	/* the handoff is on by default, but conntrack was not loaded yet: wait for it */
	uint32_t handoff_waiting_ms; /* the --handoff-ms to use once it is; 0: not waiting */
	uint64_t handoff_checked_at; /* ms */
	struct vgw_decide dec;
	struct vgw_act act;
	struct vgw_snapshot snap;
	struct vgw_decisions out;
};

/* How set-up ended. */
enum setup_result {
	SETUP_DONE = 0,
	SETUP_REFUSED, /* one error line; nothing of this run's is attached */
	SETUP_FAILED,  /* one error line; the data plane is up and comes down again */
};

/* daemon_setup.c */
enum setup_result setup(struct daemon *d);
void reload(struct daemon *d);
void handoff_follow(struct daemon *d, uint64_t now);

/* daemon.c: the hello sockets (fd, or -errno) and the handoff's XDP_TX check */
int open_socket(const struct vgw_cli *c, int ifindex);
int open_socket6(const struct vgw_cli *c, int ifindex);
void handoff_tx_check(struct daemon *d);

#endif
