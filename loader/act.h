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
#include "metrics.h"
#include "notify.h"

struct vgw_act {
	const struct vgw_maps *m;
	int ifindex;
	int sock;    /* hellos */
	int pkt_fd;  /* announces and hellos */
	int beat_fd; /* the vgw_beat program */
	uint8_t router_id[4];
	uint8_t ifmac[6];
	struct vgw_key key;
	unsigned int n_peers; /* 0: multicast */
	struct in_addr peers[VGW_CLI_MAX_PEERS];
	uint8_t peer_mac[VGW_CLI_MAX_PEERS][6];
	bool peer_mac_known[VGW_CLI_MAX_PEERS];
	unsigned int peer_sends[VGW_CLI_MAX_PEERS];
	uint16_t ip_id; /* of the hellos' IPv4 headers */
	struct in_addr mcast;
	bool v6; /* hellos over IPv6, through sock only (see send_udp6) */
	unsigned int n_peers6;
	struct in6_addr peers6[VGW_CLI_MAX_PEERS];
	struct in6_addr mcast6;
	struct in6_addr ll6; /* the hellos' IPv6 source: this router's own link-local */
	uint16_t port;
	uint16_t n_vmacs;
	/* what the maps hold, as written last */
	struct vgw_vmac_entry table[VGW_VMAC_SLOTS];
	struct vgw_handoff handoff[VGW_VMAC_SLOTS];
	struct vgw_vmac_rate rates[VGW_VMAC_SLOTS];
	struct vgw_steer_params params;
	struct vgw_daemon_status status;
	struct vgw_router_info routers[VGW_MAX_ROUTERS];
	struct vgw_hello_counters counters;
	uint64_t sent;
	bool announce_failed; /* logged once until an announce goes out again */
	bool hello_failed;
	bool beat_failed;
	struct vgw_notify notify;    /* --notify runs */
	struct vgw_metrics *metrics; /* --metrics, or NULL; set after act_init */
};

/*
 * Read the table the data plane has now; the published maps start as zero.
 * Hellos go out on pkt_fd as whole frames (rawsend.h), on sock only to a
 * unicast peer whose MAC the kernel has not resolved yet; IPv6 hellos on
 * sock always.
 */
int act_init(struct vgw_act *a, const struct vgw_maps *m, int ifindex, int sock, int pkt_fd,
	     int beat_fd, const struct vgw_config *cfg, const struct vgw_cli *conf,
	     const struct vgw_key *key);
/* SIGHUP: the key, the peers and the --notify command may change. */
void act_reconfigure(struct vgw_act *a, const struct vgw_cli *conf, const struct vgw_key *key);
void act_apply(struct vgw_act *a, const struct vgw_decisions *dd);
/* At exit: what --notify still has to run, for at most its timeout. */
void act_finish(struct vgw_act *a);

#endif
