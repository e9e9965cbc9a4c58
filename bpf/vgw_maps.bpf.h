/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Maps shared by the XDP and TC objects. Both objects declare them pinned by
 * name under the same pin root, so whichever loads second reuses the first
 * one's maps: one table, two programs. Maps no program reads are in
 * vgw_state.bpf.c; loader/maps.h lists every map once.
 */
#ifndef VGW_MAPS_BPF_H
#define VGW_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "vgw_common.h"
#include "vgw_heartbeat.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vgw_config);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vgw_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VGW_VMAC_SLOTS);
	__type(key, __u32);
	__type(value, struct vgw_vmac_entry);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vmac_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VGW_VMAC_SLOTS);
	__type(key, __u32);
	__type(value, struct vgw_vmac_counters);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vmac_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, VGW_ARP_PROBES_MAX);
	__type(key, struct vgw_arp_asker);
	__type(value, struct vgw_arp_probe);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} arp_probes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vgw_arp_counters);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} arp_counters SEC(".maps");

/* how tc answers ARP for the vIP: set by vgw load, kept up to date by vgw run */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vgw_steer_params);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} steer_params SEC(".maps");

/* ARP steering on the AVG: written by vgw run, read by tc egress */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VGW_VMAC_SLOTS);
	__type(key, __u32);
	__type(value, struct vgw_steer_vmac);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} steer_vmacs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VGW_MAX_ROUTERS);
	__type(key, __u32);
	__type(value, struct vgw_steer_router);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} steer_routers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VGW_VMAC_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} arp_answers SEC(".maps");

/* each router's vMACs and loads summed (vgw run), and the answers given since (tc) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VGW_MAX_ROUTERS + 1);
	__type(key, __u32);
	__type(value, struct vgw_steer_sum);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} steer_sums SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VGW_MAX_ROUTERS + 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} router_answers SEC(".maps");

/* hosts the AVG has answered (IPv4 -> ktime of the last answer): their count sizes a host */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, VGW_ARP_PROBES_MAX);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} arp_hosts SEC(".maps");

/* IPv6 Neighbor Discovery: the twins of arp_probes, arp_counters and arp_hosts */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, VGW_ARP_PROBES_MAX);
	__type(key, struct vgw_nd_asker);
	__type(value, struct vgw_arp_probe);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nd_probes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vgw_nd_counters);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nd_counters SEC(".maps");

/* hosts the AVG has answered by NA (MAC -> ktime of the last answer) */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, VGW_ARP_PROBES_MAX);
	__type(key, __u64);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} nd_hosts SEC(".maps");

/* --fast-path: what became of owned frames (fwd_ports is in vgw_fast.bpf.h) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vgw_fast_counters);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} fast_counters SEC(".maps");

/* --handoff-ms (vgw_handoff.bpf.h): windows, their counts, and flows handed off to here */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VGW_VMAC_SLOTS);
	__type(key, __u32);
	__type(value, struct vgw_handoff);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} handoff_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VGW_VMAC_SLOTS);
	__type(key, __u32);
	__type(value, struct vgw_handoff_counters);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} handoff_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, VGW_HANDOFF_FLOWS_MAX);
	__type(key, struct vgw_flow);
	__type(value, struct vgw_flow_seen);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} handoff_flows SEC(".maps");

static __always_inline struct vgw_nd_counters *nd_counters_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&nd_counters, &zero);
}

/*
 * A host's unicast re-validation (an ARP probe or a NUD NS) to owned vMAC
 * index, kept in map (arp_probes or nd_probes) under key; 0 once stored.
 */
static __always_inline int probe_store(void *map, const void *key, __u32 index)
{
	struct vgw_arp_probe probe = { .seen_ns = bpf_ktime_get_ns(), .vmac_index = index };

	return bpf_map_update_elem(map, key, &probe, BPF_ANY);
}

/* The vMAC a host probed for within the TTL, consumed from map; 0 if none. */
static __always_inline __u32 probe_take(void *map, const void *key)
{
	struct vgw_arp_probe *probe = bpf_map_lookup_elem(map, key);
	__u32 index;

	if (!probe)
		return 0;
	index = probe->vmac_index;
	if (bpf_ktime_get_ns() - probe->seen_ns > VGW_ARP_PROBE_TTL_NS)
		index = 0;
	bpf_map_delete_elem(map, key);
	return index;
}

static __always_inline struct vgw_arp_counters *arp_counters_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&arp_counters, &zero);
}

/* vmlinux.h carries types, not macros */
#define ETH_P_IP	 0x0800
#define ETH_P_ARP	 0x0806
#define ETH_P_IPV6	 0x86DD
#define IPPROTO_ICMPV6	 58
#define ARPHRD_ETHER	 1
#define ARPOP_REQUEST	 1
#define ARPOP_REPLY	 2
#define PACKET_HOST	 0
#define PACKET_OTHERHOST 3
#define TC_ACT_UNSPEC	 (-1)
#define TC_ACT_SHOT	 2

/* ARP for IPv4 over Ethernet, as on the wire after the Ethernet header. */
struct vgw_arp_eth {
	__be16 htype;
	__be16 ptype;
	__u8 hlen;
	__u8 plen;
	__be16 op;
	__u8 sha[6];
	__u8 spa[4];
	__u8 tha[6];
	__u8 tpa[4];
} __attribute__((packed));

static __always_inline int arp_is_ipv4_eth(const struct vgw_arp_eth *arp)
{
	return arp->htype == bpf_htons(ARPHRD_ETHER) && arp->ptype == bpf_htons(ETH_P_IP) &&
	       arp->hlen == 6 && arp->plen == 4;
}

static __always_inline int ip4_equal(const __u8 a[4], const __u8 b[4])
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

/* Byte by byte: addresses in packed frame copies are not 4-byte aligned. */
static __always_inline int ip6_equal(const __u8 *a, const __u8 *b)
{
	__u8 diff = 0;
	int i;

#pragma unroll
	for (i = 0; i < 16; i++)
		diff |= a[i] ^ b[i];
	return !diff;
}

static __always_inline int ip6_zero(const __u8 *a)
{
	__u8 any = 0;
	int i;

#pragma unroll
	for (i = 0; i < 16; i++)
		any |= a[i];
	return !any;
}

/* Whether a is one of the configured IPv6 virtual addresses. */
static __always_inline int ip6_is_virtual(const struct vgw_config *cfg, const __u8 *a)
{
	return (!ip6_zero(cfg->vip6) && ip6_equal(a, cfg->vip6)) ||
	       (!ip6_zero(cfg->vip6_global) && ip6_equal(a, cfg->vip6_global));
}

/* ND as the kernel sends and hosts send it: ICMPv6 right after the IPv6 header. */
#define ND_ROUTER_ADVERT    134
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT  136
#define ND_OPT_SLLA	    1
#define ND_OPT_TLLA	    2
#define NA_FLAG_ROUTER	    0x80
#define NA_FLAG_SOLICITED   0x40
#define ND_OFF_ICMP	    (14 + 40)
#define ND_OFF_NS_OPTS	    (ND_OFF_ICMP + 24) /* NS and NA: after the target */
#define ND_OFF_RA_OPTS	    (ND_OFF_ICMP + 16)

/* The headers of an NS, NA or RA frame up to an NS/NA's target. */
struct vgw_nd_frame {
	struct ethhdr eth;
	struct ipv6hdr ip6;
	__u8 type;
	__u8 code;
	__be16 csum;
	__u8 word[4];	 /* NA: flags (R S O); RA: hop limit, flags, router lifetime */
	__u8 target[16]; /* NS, NA */
} __attribute__((packed));

#endif /* VGW_MAPS_BPF_H */
