// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * clsact programs on the LAN interface.
 *
 * Egress: every router's kernel answers ARP for the vIP with its own MAC,
 * since the vIP is a local address everywhere. Here that answer becomes the
 * group's: a vMAC goes into the ARP body (never the Ethernet source, or
 * switches would learn the vMAC on this router's port), or the answer is
 * suppressed on routers that do not speak for the group.
 *
 * Ingress: after XDP rewrote a vMAC frame to our own MAC, native XDP on veth
 * keeps the PACKET_OTHERHOST mark it had, and IP would drop the frame. Mark
 * such frames PACKET_HOST. In skb mode and on NIC drivers the type is already
 * right and this program does nothing.
 */
#include "vgw_maps.bpf.h"

/*
 * Position (0-based) where the next round-robin search starts: just after the
 * last vMAC given out, so every active vMAC gets an equal turn even when some
 * in between are unused. Two CPUs racing may give the same vMAC twice; that
 * only costs evenness, never correctness.
 */
__u32 rr_next = 0;

static __always_inline int mac_equal(const __u8 *a, const __u8 *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] && a[4] == b[4] &&
	       a[5] == b[5];
}

/* The next active vMAC in turn, 0 if the pool has none. */
static __always_inline __u32 pick_round_robin(const struct vgw_config *cfg)
{
	__u32 n = cfg->n_vmacs, start = rr_next, i;

	if (n == 0 || n > VGW_MAX_VMACS)
		return 0;
	for (i = 0; i < VGW_MAX_VMACS && i < n; i++) {
		__u32 pos = (start + i) % n;
		__u32 index = pos + 1;
		struct vgw_vmac_entry *v = bpf_map_lookup_elem(&vmac_table, &index);

		if (v && v->state != VGW_VMAC_UNUSED) {
			rr_next = index % n;
			return index;
		}
	}
	return 0;
}

/* The vMAC a host probed for within the TTL, consumed; 0 if none. */
static __always_inline __u32 take_probe(const struct vgw_arp_eth *arp)
{
	struct vgw_arp_asker asker = {};
	struct vgw_arp_probe *probe;
	__u32 index;

	__builtin_memcpy(asker.mac, arp->tha, 6);
	__builtin_memcpy(asker.ip, arp->tpa, 4);
	probe = bpf_map_lookup_elem(&arp_probes, &asker);
	if (!probe)
		return 0;
	index = probe->vmac_index;
	if (bpf_ktime_get_ns() - probe->seen_ns > VGW_ARP_PROBE_TTL_NS)
		index = 0;
	bpf_map_delete_elem(&arp_probes, &asker);
	return index;
}

static __always_inline int set_sender_vmac(struct __sk_buff *skb, __u32 index)
{
	struct vgw_vmac_entry *v = bpf_map_lookup_elem(&vmac_table, &index);

	if (!v || v->state == VGW_VMAC_UNUSED)
		return -1;
	return bpf_skb_store_bytes(skb, sizeof(struct ethhdr) + offsetof(struct vgw_arp_eth, sha),
				   v->mac, 6, 0);
}

SEC("tc")
int vgw_tc_egress(struct __sk_buff *skb)
{
	struct {
		struct ethhdr eth;
		struct vgw_arp_eth arp;
	} __attribute__((packed)) f;
	struct vgw_arp_counters *ac;
	struct vgw_config *cfg;
	__u32 zero = 0, index;

	if (skb->protocol != bpf_htons(ETH_P_ARP))
		return TC_ACT_UNSPEC;
	if (bpf_skb_load_bytes(skb, 0, &f, sizeof(f)))
		return TC_ACT_UNSPEC;
	cfg = bpf_map_lookup_elem(&vgw_config, &zero);
	ac = arp_counters_get();
	if (!cfg || !ac || !arp_is_ipv4_eth(&f.arp) || !ip4_equal(f.arp.spa, cfg->vip))
		return TC_ACT_UNSPEC;

	/* A request from the vIP would teach every host our own MAC for it. */
	if (f.arp.op == bpf_htons(ARPOP_REQUEST)) {
		ac->requests_dropped++;
		return TC_ACT_SHOT;
	}
	if (f.arp.op != bpf_htons(ARPOP_REPLY))
		return TC_ACT_UNSPEC;

	index = take_probe(&f.arp);
	if (index && set_sender_vmac(skb, index) == 0) {
		ac->replies_probe++;
		return TC_ACT_UNSPEC;
	}
	if (!cfg->avg) {
		ac->replies_dropped++;
		return TC_ACT_SHOT;
	}
	index = pick_round_robin(cfg);
	if (!index || set_sender_vmac(skb, index)) {
		ac->no_vmac++;
		return TC_ACT_SHOT;
	}
	ac->replies_avg++;
	return TC_ACT_UNSPEC;
}

SEC("tc")
int vgw_tc_ingress(struct __sk_buff *skb)
{
	struct vgw_arp_counters *ac;
	struct vgw_config *cfg;
	__u8 dest[6];
	__u32 zero = 0;

	if (skb->pkt_type != PACKET_OTHERHOST)
		return TC_ACT_UNSPEC;
	if (bpf_skb_load_bytes(skb, 0, dest, sizeof(dest)))
		return TC_ACT_UNSPEC;
	cfg = bpf_map_lookup_elem(&vgw_config, &zero);
	if (!cfg || !mac_equal(dest, cfg->ifmac))
		return TC_ACT_UNSPEC;
	bpf_skb_change_type(skb, PACKET_HOST);
	ac = arp_counters_get();
	if (ac)
		ac->pkt_type_fixed++;
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
