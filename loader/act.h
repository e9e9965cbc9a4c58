/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one place vgw run's decisions (decide.c) touch the world: the vMAC
 * table and the NIC's unicast filter, switch announces, the published maps,
 * the hello on the wire and the log. Writes only what changed.
 */
#ifndef VGW_ACT_H
#define VGW_ACT_H

#include <netinet/in.h>

#include "cli.h"
#include "decide.h"
#include "hello.h"
#include "maps.h"

struct vgw_act {
	const struct vgw_maps *m;
	int ifindex;
	int sock;    /* hellos */
	int pkt_fd;  /* announces */
	int beat_fd; /* the vgw_beat program */
	uint8_t router_id[4];
	struct vgw_key key;
	unsigned int n_peers; /* 0: multicast */
	struct in_addr peers[VGW_CLI_MAX_PEERS];
	struct in_addr mcast;
	uint16_t port;
	uint16_t n_vmacs;
	/* what the maps hold, as written last */
	struct vgw_vmac_entry table[VGW_VMAC_SLOTS];
	struct vgw_vmac_rate rates[VGW_VMAC_SLOTS];
	struct vgw_steer_params params;
	struct vgw_daemon_status status;
	struct vgw_router_info routers[VGW_MAX_ROUTERS];
	struct vgw_hello_counters counters;
	uint64_t sent;
	bool announce_failed; /* logged once until an announce goes out again */
	bool hello_failed;
	bool beat_failed;
};

/* Read the table the data plane has now; the published maps start as zero. */
int act_init(struct vgw_act *a, const struct vgw_maps *m, int ifindex, int sock, int pkt_fd,
	     int beat_fd, const uint8_t router_id[4], const struct vgw_cli *conf,
	     const struct vgw_key *key);
/* SIGHUP: the key and the peers may change. */
void act_reconfigure(struct vgw_act *a, const struct vgw_cli *conf, const struct vgw_key *key);
void act_apply(struct vgw_act *a, const struct vgw_decisions *dd);

#endif
