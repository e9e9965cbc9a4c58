// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Maps no BPF program reads: the loader's undo record and what vgw run
 * publishes for vgw status and operators. An object of maps only, loaded by
 * the loader next to the programs' objects, so each map is created with its
 * BTF (bpftool map dump shows the fields) and pinned in the same directory,
 * while the XDP and tc objects carry only what they use.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "vgw_common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vgw_undo);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vgw_undo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vgw_daemon_status);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} daemon_status SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VGW_MAX_ROUTERS);
	__type(key, __u32);
	__type(value, struct vgw_router_info);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} group_routers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VGW_VMAC_SLOTS);
	__type(key, __u32);
	__type(value, struct vgw_vmac_rate);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vmac_rates SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vgw_hello_counters);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} hello_counters SEC(".maps");

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * --fast-path's egress ports, read by the XDP program. Created here because
 * the kernel marks every devmap BPF_F_RDONLY_PROG, which a declaration may
 * not ask for: libbpf 1.1 would then refuse the pin as a parameter mismatch,
 * so the XDP object declares its own unpinned one and the loader hands it
 * this map's fd (vgw_xdp_attach).
 */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, VGW_FWD_PORTS_MAX);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fwd_ports SEC(".maps");
