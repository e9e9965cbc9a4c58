/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Connection handoff (vgw run --handoff-ms). A vMAC that moved here from a
 * live router brings hosts whose open connections live in that router's
 * conntrack (its NAT mappings, its firewall's state). For a window, a frame
 * to such a vMAC that this router's conntrack does not know, and that does
 * not open a connection, goes on to the previous owner's own MAC (XDP_TX):
 * it forwards the frame with its state, and its replies go to the host
 * directly. The previous owner sees the frame to its own MAC, so it never
 * hands it on again. Included by vgw_xdp.bpf.c only.
 *
 * Which frames go: TCP without SYN (or with SYN and ACK) and UDP, of flows
 * unknown here. UDP has no mark for a new flow: within the window every UDP
 * flow this router has no entry for goes to the old owner, which knows the
 * old ones and serves new ones as well. Other protocols and fragments, which
 * conntrack cannot be asked about from XDP, stay here.
 */
#ifndef VGW_HANDOFF_BPF_H
#define VGW_HANDOFF_BPF_H

#include "vgw_maps.bpf.h"

/*
 * The lookup's options as every kernel since 6.0 takes them: 12 bytes. 6.13
 * made the struct 16 (ct_zone_id, ct_zone_dir) and still takes the 12-byte
 * form; vmlinux.h's own struct would carry CO-RE relocations to fields 6.1
 * lacks, and the program would not load there. Not relocated (no
 * preserve_access_index): the kernel reads it by opts_size.
 */
struct vgw_ct_opts {
	__s32 netns_id;
	__s32 error;
	__u8 l4proto;
	__u8 dir;
	__u8 reserved[2];
};

/* weak: without conntrack the object still loads, with the handoff left out (cfg_handoff 0) */
extern struct nf_conn *bpf_xdp_ct_lookup(struct xdp_md *ctx, struct bpf_sock_tuple *tuple,
					 __u32 tuple_size, struct vgw_ct_opts *opts,
					 __u32 opts_size) __ksym __weak;
extern void bpf_ct_release(struct nf_conn *ct) __ksym __weak;

#define HANDOFF_ENOENT	   2
#define HANDOFF_IP_MF_OFF  0x3fff
#define HANDOFF_TCP_FIN	   0x01
#define HANDOFF_TCP_SYN	   0x02
#define HANDOFF_TCP_RST	   0x04
#define HANDOFF_TCP_ACK	   0x10
#define HANDOFF_NETNS_SELF (-1) /* BPF_F_CURRENT_NETNS */

/* A frame's TCP or UDP flow, as the lookup and handoff_flows need it. */
struct handoff_l4 {
	struct vgw_flow flow;
	__u8 tcp_flags; /* 0 for UDP */
};

/* A TCP SYN opens a connection: one no router knows yet, so it is never handed off. */
static __always_inline int handoff_opens(const struct handoff_l4 *l4)
{
	return (l4->tcp_flags & (HANDOFF_TCP_SYN | HANDOFF_TCP_ACK)) == HANDOFF_TCP_SYN;
}

/* The TCP or UDP flow of an unfragmented IP frame without options; 0 if it has one. */
static __always_inline int handoff_parse(struct ethhdr *eth, void *data_end, struct handoff_l4 *l4)
{
	__u8 *ports;

	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (struct iphdr *)(eth + 1);

		if ((void *)(ip + 1) > data_end || ip->ihl != 5 ||
		    (ip->frag_off & bpf_htons(HANDOFF_IP_MF_OFF)))
			return 0;
		l4->flow.family = 4;
		l4->flow.proto = ip->protocol;
		__builtin_memcpy(l4->flow.saddr, &ip->saddr, 4);
		__builtin_memcpy(l4->flow.daddr, &ip->daddr, 4);
		ports = (__u8 *)(ip + 1);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(eth + 1);

		if ((void *)(ip6 + 1) > data_end)
			return 0;
		l4->flow.family = 6;
		l4->flow.proto = ip6->nexthdr;
		__builtin_memcpy(l4->flow.saddr, &ip6->saddr, 16);
		__builtin_memcpy(l4->flow.daddr, &ip6->daddr, 16);
		ports = (__u8 *)(ip6 + 1);
	} else {
		return 0;
	}
	if (l4->flow.proto == IPPROTO_TCP) {
		if ((void *)(ports + 14) > data_end)
			return 0;
		l4->tcp_flags = ports[13];
	} else if (l4->flow.proto == IPPROTO_UDP) {
		if ((void *)(ports + 8) > data_end)
			return 0;
	} else {
		return 0;
	}
	__builtin_memcpy(&l4->flow.sport, ports, 2);
	__builtin_memcpy(&l4->flow.dport, ports + 2, 2);
	return 1;
}

/* Whether this router's conntrack knows the flow; 1 also when it cannot tell. */
static __always_inline int handoff_known(struct xdp_md *ctx, const struct handoff_l4 *l4)
{
	struct vgw_ct_opts opts = { .netns_id = HANDOFF_NETNS_SELF, .l4proto = l4->flow.proto };
	struct bpf_sock_tuple tup = {};
	struct nf_conn *ct;
	__u32 size;

	if (l4->flow.family == 4) {
		__builtin_memcpy(&tup.ipv4.saddr, l4->flow.saddr, 4);
		__builtin_memcpy(&tup.ipv4.daddr, l4->flow.daddr, 4);
		tup.ipv4.sport = l4->flow.sport;
		tup.ipv4.dport = l4->flow.dport;
		size = sizeof(tup.ipv4);
	} else {
		__builtin_memcpy(tup.ipv6.saddr, l4->flow.saddr, 16);
		__builtin_memcpy(tup.ipv6.daddr, l4->flow.daddr, 16);
		tup.ipv6.sport = l4->flow.sport;
		tup.ipv6.dport = l4->flow.dport;
		size = sizeof(tup.ipv6);
	}
	ct = bpf_xdp_ct_lookup(ctx, &tup, size, &opts, sizeof(opts));
	if (ct) {
		bpf_ct_release(ct);
		return 1;
	}
	/* a lookup that failed for another reason than "no entry" hands nothing off */
	return opts.error != -HANDOFF_ENOENT;
}

static __always_inline struct vgw_handoff_counters *handoff_counters_get(__u32 index)
{
	return bpf_map_lookup_elem(&handoff_counters, &index);
}

/*
 * A frame to owned vMAC index, which is in a handoff window: 1 when it was
 * rewritten to go to the previous owner (the caller returns XDP_TX), 0 when
 * this router forwards it.
 */
static __always_inline int handoff_frame(struct xdp_md *ctx, struct ethhdr *eth, void *data_end,
					 __u32 index)
{
	struct vgw_handoff_counters *hc = handoff_counters_get(index);
	struct handoff_l4 l4 = {};
	struct vgw_handoff *h;

	if (!hc)
		return 0;
	if (!handoff_parse(eth, data_end, &l4) || handoff_opens(&l4) || handoff_known(ctx, &l4)) {
		hc->kept_packets++;
		return 0;
	}
	h = bpf_map_lookup_elem(&handoff_table, &index);
	if (!h) {
		hc->kept_packets++;
		return 0;
	}
	/* the vMAC as source: the switch keeps it on this port, and the old owner sees whose */
	__builtin_memcpy(eth->h_source, eth->h_dest, 6);
	__builtin_memcpy(eth->h_dest, h->mac, 6);
	hc->sent_packets++;
	hc->sent_bytes += data_end - (void *)eth;
	return 1;
}

/*
 * A handed-off frame of a vMAC that moved on from here while in a window of
 * its own (A -> B -> C: C hands B what B does not know, but those flows live
 * at A): passed on to A, from this router's own MAC, so that the switch keeps
 * the vMAC on its owner's port and no router passes it on again. 1: the
 * caller returns XDP_TX.
 */
static __always_inline int handoff_relay(struct xdp_md *ctx, struct ethhdr *eth, void *data_end,
					 const volatile __u8 *ifmac, __u32 index,
					 struct vgw_handoff_counters *hc,
					 const struct handoff_l4 *l4)
{
	struct vgw_vmac_entry *vmac = bpf_map_lookup_elem(&vmac_table, &index);
	struct vgw_handoff *h;

	/* releasing too: the new owner hands frames back from its first one on */
	if (!vmac || vmac->state == VGW_VMAC_OWNED || !(vmac->flags & VGW_VMAC_F_HANDOFF) ||
	    handoff_opens(l4))
		return 0;
	h = bpf_map_lookup_elem(&handoff_table, &index);
	if (!h || handoff_known(ctx, l4))
		return 0;
	eth->h_source[0] = ifmac[0];
	eth->h_source[1] = ifmac[1];
	eth->h_source[2] = ifmac[2];
	eth->h_source[3] = ifmac[3];
	eth->h_source[4] = ifmac[4];
	eth->h_source[5] = ifmac[5];
	__builtin_memcpy(eth->h_dest, h->mac, 6);
	hc->sent_packets++;
	hc->sent_bytes += data_end - (void *)eth;
	return 1;
}

/*
 * A frame to this router's own MAC from one of the group's vMACs: another
 * router handed it off here. Counted, and its flow remembered for --drain-ms;
 * the kernel forwards it like any other, unless it goes on (handoff_relay):
 * 1, and the caller returns XDP_TX. A flow passed on is remembered as well:
 * it needs this router as much as one it forwards.
 */
static __always_inline int handoff_received(struct xdp_md *ctx, struct ethhdr *eth, void *data_end,
					    const volatile __u8 *ifmac, __u16 group, __u16 n_vmacs)
{
	struct vgw_handoff_counters *hc;
	struct vgw_flow_seen *seen;
	struct handoff_l4 l4 = {};
	__u32 index;
	__u8 closed;

	if (eth->h_dest[0] != ifmac[0] || eth->h_dest[1] != ifmac[1] ||
	    eth->h_dest[2] != ifmac[2] || eth->h_dest[3] != ifmac[3] ||
	    eth->h_dest[4] != ifmac[4] || eth->h_dest[5] != ifmac[5])
		return 0;
	index = vgw_vmac_index_in_group(eth->h_source, group, n_vmacs);
	if (!index || index >= VGW_VMAC_SLOTS)
		return 0;
	hc = handoff_counters_get(index);
	if (!hc)
		return 0;
	hc->received_packets++;
	hc->received_bytes += data_end - (void *)eth;
	if (!handoff_parse(eth, data_end, &l4))
		return 0;
	closed = !!(l4.tcp_flags & (HANDOFF_TCP_FIN | HANDOFF_TCP_RST));
	seen = bpf_map_lookup_elem(&handoff_flows, &l4.flow);
	if (seen) {
		seen->last_ns = bpf_ktime_get_ns();
		seen->packets++;
		seen->closed |= closed;
	} else {
		struct vgw_flow_seen fresh = {
			.last_ns = bpf_ktime_get_ns(),
			.packets = 1,
			.vmac_index = index,
			.closed = closed,
		};

		bpf_map_update_elem(&handoff_flows, &l4.flow, &fresh, BPF_ANY);
	}
	/* kept as well when passed on: a graceful stop here must wait for it too */
	return handoff_relay(ctx, eth, data_end, ifmac, index, hc, &l4);
}

#endif /* VGW_HANDOFF_BPF_H */
