/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_MAPS_H
#define VGW_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgw_common.h"

/*
 * Every map pinned under /sys/fs/bpf/vgw/<iface>/: the struct vgw_maps field
 * the pin name and the value's type (docs/maps.md describes each). Adding a map is one line
 * here and its definition in bpf/ (vgw_maps.bpf.h for maps a program reads,
 * vgw_state.bpf.c for the others).
 */
#define VGW_MAPS(X)                                                                                \
	X(config, "vgw_config", struct vgw_config)                                                 \
	X(vmac_table, "vmac_table", struct vgw_vmac_entry)                                         \
	X(vmac_counters, "vmac_counters", struct vgw_vmac_counters)                                \
	X(arp_probes, "arp_probes", struct vgw_arp_probe)                                          \
	X(arp_counters, "arp_counters", struct vgw_arp_counters)                                   \
	X(steer_params, "steer_params", struct vgw_steer_params)                                   \
	X(steer_vmacs, "steer_vmacs", struct vgw_steer_vmac)                                       \
	X(steer_routers, "steer_routers", struct vgw_steer_router)                                 \
	X(arp_answers, "arp_answers", __u64)                                                       \
	X(arp_hosts, "arp_hosts", __u64)                                                           \
	X(daemon_heartbeat, "daemon_heartbeat", struct vgw_heartbeat)                              \
	X(undo, "vgw_undo", struct vgw_undo)                                                       \
	X(daemon_status, "daemon_status", struct vgw_daemon_status)                                \
	X(group_routers, "group_routers", struct vgw_router_info)                                  \
	X(vmac_rates, "vmac_rates", struct vgw_vmac_rate)                                          \
	X(hello_counters, "hello_counters", struct vgw_hello_counters)                             \
	X(nd_probes, "nd_probes", struct vgw_arp_probe)                                            \
	X(nd_counters, "nd_counters", struct vgw_nd_counters)                                      \
	X(nd_hosts, "nd_hosts", __u64)                                                             \
	X(fwd_ports, "fwd_ports", __u32)                                                           \
	X(fast_counters, "fast_counters", struct vgw_fast_counters)                                \
	X(handoff_table, "handoff_table", struct vgw_handoff)                                      \
	X(handoff_counters, "handoff_counters", struct vgw_handoff_counters)                       \
	X(handoff_flows, "handoff_flows", struct vgw_flow_seen)                                    \
	X(steer_sums, "steer_sums", struct vgw_steer_sum)                                          \
	X(router_answers, "router_answers", __u64)

/* File descriptors of one interface's pinned maps, -1 where not open. */
struct vgw_maps {
#define VGW_MAP_FD(field, name, type) int field;
	VGW_MAPS(VGW_MAP_FD)
#undef VGW_MAP_FD
};

enum {
#define VGW_MAP_ONE(field, name, type) +1
	VGW_N_MAPS = 0 VGW_MAPS(VGW_MAP_ONE)
#undef VGW_MAP_ONE
};

#define VGW_MAP_CLOSED(field, name, type) .field = -1,
#define VGW_MAPS_INIT                                                                              \
	{                                                                                          \
		VGW_MAPS(VGW_MAP_CLOSED)                                                           \
	}

extern const char *const vgw_map_names[VGW_N_MAPS];

int vgw_bpffs_ensure(void);
/* /sys/fs/bpf/vgw/<ifname>, or a map's pin below it when map is not NULL */
int vgw_pin_path(char *buf, size_t len, const char *ifname, const char *map);
/* Returns 0, or -ENOENT when vgw is not loaded on ifname. */
int vgw_maps_open(const char *ifname, struct vgw_maps *m);
void vgw_maps_close(struct vgw_maps *m);
/*
 * Whether the open maps have this build's value layout (a data plane left by
 * another vgw version may not); false with "map: N-byte values, this vgw's
 * are M" in why.
 */
bool vgw_maps_layout_ok(const struct vgw_maps *m, char *why, size_t len);
/* Remove this interface's pins and nothing else; the directory goes if empty. */
void vgw_pins_remove(const char *ifname);
/* Whether another interface in this bpffs has vgw loaded. */
int vgw_other_instance(const char *ifname, char *other, size_t len);

int vgw_config_get(const struct vgw_maps *m, struct vgw_config *cfg);
int vgw_config_set(const struct vgw_maps *m, const struct vgw_config *cfg);
int vgw_undo_get(const struct vgw_maps *m, struct vgw_undo *u);
int vgw_undo_set(const struct vgw_maps *m, const struct vgw_undo *u);
int vgw_vmac_get(const struct vgw_maps *m, __u32 index, struct vgw_vmac_entry *e);
int vgw_vmac_set(const struct vgw_maps *m, __u32 index, const struct vgw_vmac_entry *e);
/* Per-CPU values summed over every possible CPU. */
int vgw_vmac_counters_sum(const struct vgw_maps *m, __u32 index, struct vgw_vmac_counters *sum);
int vgw_arp_counters_sum(const struct vgw_maps *m, struct vgw_arp_counters *sum);
int vgw_nd_counters_sum(const struct vgw_maps *m, struct vgw_nd_counters *sum);
int vgw_fast_counters_sum(const struct vgw_maps *m, struct vgw_fast_counters *sum);
int vgw_handoff_counters_sum(const struct vgw_maps *m, __u32 index,
			     struct vgw_handoff_counters *sum);
/* Flows other routers hand off to this one, open at now_ns (handoff_flow_open), counted in
 * handoff_flows. */
uint64_t vgw_handoff_flows_count(const struct vgw_maps *m, uint64_t now_ns);
/* Entries of arp_hosts answered within window_ns before now_ns (CLOCK_MONOTONIC). */
uint64_t vgw_arp_hosts_recent(const struct vgw_maps *m, uint64_t now_ns, uint64_t window_ns);
/* The same of nd_hosts (keyed by MAC): hosts answered by NA. */
uint64_t vgw_nd_hosts_recent(const struct vgw_maps *m, uint64_t now_ns, uint64_t window_ns);
/* Element key of map fd, into or from value: 0 or -errno. */
int vgw_map_get(int fd, __u32 key, void *value);
int vgw_map_set(int fd, __u32 key, const void *value);

#endif
