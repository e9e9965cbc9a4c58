// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * LAN ingress: classify by destination MAC, count per vMAC, accept the vMACs
 * this router owns (as if sent to its own MAC) and drop the others, and all
 * of them once the daemon is gone (its heartbeat is older than the hold time).
 */
#include "vgw_maps.bpf.h"
#include "vgw_fast.bpf.h"
#include "vgw_handoff.bpf.h"
#include <xdp/xdp_helpers.h>

/* Run before other libxdp programs: they see owned frames already rewritten. */
struct {
	__uint(priority, 10);
	__uint(XDP_PASS, 1);
} XDP_RUN_CONFIG(vgw_xdp);

/*
 * A Linux host re-validates a STALE entry with unicast ARP to the vMAC it
 * cached, which lands here on the vMAC's owner. Remember which vMAC the host
 * used so the kernel's reply leaves with that vMAC (see vgw_tc.bpf.c).
 */
static __always_inline void remember_probe(void *l3, void *data_end, const struct vgw_config *cfg,
					   __u32 index)
{
	struct vgw_arp_eth *arp = l3;
	struct vgw_arp_asker asker = {};
	struct vgw_arp_counters *ac;

	if ((void *)(arp + 1) > data_end)
		return;
	if (!arp_is_ipv4_eth(arp) || arp->op != bpf_htons(ARPOP_REQUEST))
		return;
	if (!ip4_equal(arp->tpa, cfg->vip))
		return;
	__builtin_memcpy(asker.mac, arp->sha, 6);
	__builtin_memcpy(asker.ip, arp->spa, 4);
	if (probe_store(&arp_probes, &asker, index))
		return;
	ac = arp_counters_get();
	if (ac)
		ac->probes_remembered++;
}

/*
 * The IPv6 twin: NUD re-validates a STALE entry with a unicast NS to the
 * vMAC the host cached. Remember it, so the answer keeps that vMAC.
 */
static __always_inline void remember_nd_probe(void *l3, void *data_end,
					      const struct vgw_config *cfg, __u32 index)
{
	struct ipv6hdr *ip6 = l3;
	struct vgw_nd_asker asker = {};
	struct vgw_nd_counters *nc;
	__u8 *icmp = (__u8 *)(ip6 + 1);
	struct ethhdr *eth = (struct ethhdr *)l3 - 1;

	if ((void *)(icmp + 24) > data_end)
		return;
	if (ip6->nexthdr != IPPROTO_ICMPV6 || icmp[0] != ND_NEIGHBOR_SOLICIT || icmp[1] != 0)
		return;
	if (!ip6_is_virtual(cfg, icmp + 8) || ip6_zero((const __u8 *)&ip6->saddr))
		return;
	__builtin_memcpy(asker.mac, eth->h_source, 6);
	__builtin_memcpy(asker.ip6, &ip6->saddr, 16);
	if (probe_store(&nd_probes, &asker, index))
		return;
	nc = nd_counters_get();
	if (nc)
		nc->probes_remembered++;
}

/*
 * Fixed for the life of the attachment, so the hot path reads constants
 * instead of the config map; the loader sets them from the same values it
 * writes to vgw_config.
 */
const volatile __u16 cfg_group = 0;
const volatile __u16 cfg_n_vmacs = 0;
const volatile __u8 cfg_ifmac[6] = {};
/* --fast-path; 0 leaves the fast path out of the program the verifier sees */
const volatile __u8 cfg_fast_path = 0;
/* --handoff-ms with conntrack; 0 leaves the handoff (and its kfuncs) out */
const volatile __u8 cfg_handoff = 0;

SEC("xdp")
int vgw_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct vgw_vmac_counters *cnt;
	struct vgw_vmac_entry *vmac;
	struct vgw_config *cfg;
	__u32 zero = 0, index;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	/* Cheap reject of every frame that is not to a vMAC of any group. */
	if (!vgw_vmac_prefix(eth->h_dest)) {
		if (cfg_handoff && vgw_vmac_prefix(eth->h_source) &&
		    handoff_received(ctx, eth, data_end, cfg_ifmac, cfg_group, cfg_n_vmacs))
			return XDP_TX;
		return XDP_PASS;
	}

	index = vgw_vmac_index_in_group(eth->h_dest, cfg_group, cfg_n_vmacs);
	if (!index || index >= VGW_VMAC_SLOTS)
		return XDP_PASS;
	vmac = bpf_map_lookup_elem(&vmac_table, &index);
	cnt = bpf_map_lookup_elem(&vmac_counters, &index);
	if (!vmac || !cnt || vmac->state == VGW_VMAC_UNUSED)
		return XDP_PASS;

	/* a dead daemon's vMACs are forwarded by others now: never twice */
	if (vmac->state == VGW_VMAC_FOREIGN || daemon_gone()) {
		cnt->misdelivered_packets++;
		cnt->misdelivered_bytes += data_end - data;
		return XDP_DROP;
	}

	cnt->packets++;
	cnt->bytes += data_end - data;
	if (eth->h_proto == bpf_htons(ETH_P_ARP)) {
		cfg = bpf_map_lookup_elem(&vgw_config, &zero);
		if (cfg)
			remember_probe(eth + 1, data_end, cfg, index);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		cfg = bpf_map_lookup_elem(&vgw_config, &zero);
		if (cfg)
			remember_nd_probe(eth + 1, data_end, cfg, index);
	}
	if (cfg_handoff && (vmac->flags & VGW_VMAC_F_HANDOFF) &&
	    handoff_frame(ctx, eth, data_end, index))
		return XDP_TX;
	if (cfg_fast_path && fast_forward(ctx, eth, data_end) == XDP_REDIRECT)
		return XDP_REDIRECT;
	eth->h_dest[0] = cfg_ifmac[0];
	eth->h_dest[1] = cfg_ifmac[1];
	eth->h_dest[2] = cfg_ifmac[2];
	eth->h_dest[3] = cfg_ifmac[3];
	eth->h_dest[4] = cfg_ifmac[4];
	eth->h_dest[5] = cfg_ifmac[5];
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
