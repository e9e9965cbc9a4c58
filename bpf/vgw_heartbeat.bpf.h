/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * vgw run's heartbeat (struct vgw_heartbeat): read by the XDP and tc
 * programs, written by vgw_beat.bpf.c, whose timer marks the data plane
 * failed safe a hold time after the daemon's last beat.
 */
#ifndef VGW_HEARTBEAT_BPF_H
#define VGW_HEARTBEAT_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "vgw_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vgw_heartbeat);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} daemon_heartbeat SEC(".maps");

/* Whether the daemon that managed this data plane stopped beating a hold time ago. */
static __always_inline int daemon_gone(void)
{
	__u32 zero = 0;
	struct vgw_heartbeat *hb = bpf_map_lookup_elem(&daemon_heartbeat, &zero);

	return hb && hb->failed_safe;
}

#endif /* VGW_HEARTBEAT_BPF_H */
