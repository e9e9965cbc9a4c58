/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_STATUS_H
#define VGW_STATUS_H

#include <json-c/json.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "vgw_common.h"

struct vgw_status_vmac {
	__u32 index;
	struct vgw_vmac_entry entry;
	struct vgw_vmac_counters counters;
	struct vgw_handoff handoff; /* until_ms 0: no window (or no VGW_VMAC_F_HANDOFF) */
	struct vgw_handoff_counters handoff_counters;
};

/* A snapshot of one interface's maps; the formatters below take only this. */
struct vgw_status {
	char iface[IF_NAMESIZE];
	struct vgw_config cfg;
	struct vgw_steer_params steer;
	struct vgw_undo undo;
	struct vgw_daemon_status daemon; /* all zero under vgw load */
	struct vgw_heartbeat heartbeat;
	bool daemon_alive; /* a vgw run holds the interface's lock */
	uint64_t now_ns;   /* CLOCK_MONOTONIC when collected */
	unsigned int n_vmacs;
	struct vgw_status_vmac vmacs[VGW_MAX_VMACS];
	struct vgw_arp_counters arp;
	struct vgw_nd_counters nd;
	struct vgw_fast_counters fast; /* all zero without --fast-path */
	unsigned int n_fast_ports;
	__u32 fast_ports[VGW_FWD_PORTS_MAX]; /* ifindexes in fwd_ports */
	uint64_t handoff_flows_open;	     /* with handoff: flows handed to this router, open */
	/* vgw run only (daemon.daemon) */
	struct vgw_vmac_rate rates[VGW_MAX_VMACS];
	unsigned int n_routers;
	struct vgw_router_info routers[VGW_MAX_ROUTERS];
	uint64_t now_ms; /* CLOCK_MONOTONIC when collected, for hello ages */
	struct vgw_hello_counters hellos;
};

int status_collect(const char *ifname, struct vgw_status *st);
/* The fast path's fallback reason (enum vgw_fast_fallback) by name: "no_neigh". */
const char *status_fast_reason(unsigned int reason);

/* The maps' addresses, as status and /metrics show them. */
static inline void ip4_str(const __u8 ip[4], char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
}

static inline bool ip4_zero(const __u8 ip[4])
{
	return !(ip[0] | ip[1] | ip[2] | ip[3]);
}

static inline bool ip6_zero(const __u8 a[16])
{
	static const __u8 zero[16];

	return !memcmp(a, zero, 16);
}
void status_print_text(FILE *out, const struct vgw_status *st);
/* With handoff: windows open, and the vMACs' handoff counters summed. */
unsigned int status_handoff_totals(const struct vgw_status *st, struct vgw_handoff_counters *sum);
struct json_object *status_to_json(const struct vgw_status *st);

/* Under vgw run: each router's share and target in percent, as the balancer sees them. */
void status_group_shares(const struct vgw_status *st, double *share, double *target);
/* How long ago the daemon's last heartbeat was; 0 if it never beat. */
uint64_t status_heartbeat_age_ms(const struct vgw_status *st);

int vgw_cmd_status(const struct vgw_cli *cli);

#endif
