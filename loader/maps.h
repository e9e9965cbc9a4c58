/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_MAPS_H
#define VGW_MAPS_H

#include <stddef.h>

#include "vgw_common.h"

/* File descriptors of one interface's pinned maps, in vgw_map_names order. */
struct vgw_maps {
	int config;
	int vmac_table;
	int vmac_counters;
	int arp_probes;
	int arp_counters;
	int group_routers;
	int vmac_rates;
	int hello_counters;
	int steer_vmacs;
	int steer_routers;
	int arp_answers;
	int arp_hosts;
};

#define VGW_N_MAPS 12
/* clang-format off */
#define VGW_MAPS_INIT { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 }
/* clang-format on */

extern const char *const vgw_map_names[VGW_N_MAPS];

int vgw_bpffs_ensure(void);
/* /sys/fs/bpf/vgw/<ifname>, or a map's pin below it when map is not NULL */
int vgw_pin_path(char *buf, size_t len, const char *ifname, const char *map);
/* Returns 0, or -ENOENT when vgw is not loaded on ifname. */
int vgw_maps_open(const char *ifname, struct vgw_maps *m);
void vgw_maps_close(struct vgw_maps *m);
/* Remove this interface's pins and nothing else; the directory goes if empty. */
void vgw_pins_remove(const char *ifname);
/* Whether another interface in this bpffs has vgw loaded. */
int vgw_other_instance(const char *ifname, char *other, size_t len);

int vgw_config_get(const struct vgw_maps *m, struct vgw_config *cfg);
int vgw_config_set(const struct vgw_maps *m, const struct vgw_config *cfg);
int vgw_vmac_get(const struct vgw_maps *m, __u32 index, struct vgw_vmac_entry *e);
int vgw_vmac_set(const struct vgw_maps *m, __u32 index, const struct vgw_vmac_entry *e);
/* Per-CPU values summed over every possible CPU. */
int vgw_vmac_counters_sum(const struct vgw_maps *m, __u32 index, struct vgw_vmac_counters *sum);
int vgw_arp_counters_sum(const struct vgw_maps *m, struct vgw_arp_counters *sum);
/* Element key of map fd, into or from value: 0 or -errno. */
int vgw_map_get(int fd, __u32 key, void *value);
int vgw_map_set(int fd, __u32 key, const void *value);

#endif
