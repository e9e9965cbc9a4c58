/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * tc egress for IPv6 Neighbor Discovery: what vgw_tc.bpf.c does for ARP.
 * Included by it, after the steering it shares.
 *
 * Every router's kernel answers a Neighbor Solicitation for the virtual
 * addresses with a Neighbor Advertisement that names its own MAC in the
 * Target Link-Layer Address option. Here the AVG's answer gets a vMAC in
 * that option (the Ethernet source stays ours, so switches never learn a
 * vMAC from it), the Router flag set and the checksum corrected; the other
 * routers' answers are dropped. A host's NUD probe, a unicast NS to the
 * vMAC it has, reaches that vMAC's owner and its answer keeps the vMAC.
 *
 * Two more kinds of frame would teach hosts a router's own MAC or address
 * for the gateway, and are fixed or dropped: NS sent from a virtual address
 * (their Source Link-Layer option would override the hosts' vMAC), and RAs
 * that offer any default router but the virtual link-local, or offer it
 * with a Source Link-Layer option (radvd's AdvSourceLLAddress).
 */
#ifndef VGW_TC_ND_BPF_H
#define VGW_TC_ND_BPF_H

#define ND_MAX_OPTS 8

/*
 * Offset of the first option of type want in [off, end), 0 if there is none,
 * -1 if the options are malformed (zero length, or running past end).
 */
static __always_inline int nd_find_opt(struct __sk_buff *skb, __u32 off, __u32 end, __u8 want)
{
	int i;

	for (i = 0; i < ND_MAX_OPTS; i++) {
		__u8 tl[2];

		if (off >= end)
			return 0;
		if (off + 2 > end || bpf_skb_load_bytes(skb, off & 0xffff, tl, 2))
			return -1;
		if (tl[1] == 0 || off + tl[1] * 8 > end)
			return -1;
		if (tl[0] == want)
			return tl[1] == 1 ? (int)off : -1; /* Ethernet: 8 bytes */
		off += tl[1] * 8;
	}
	return 0;
}

/* The vMAC a host probed by NUD within the TTL, consumed; 0 if none. */
static __always_inline __u32 take_nd_probe(const struct vgw_nd_frame *f)
{
	struct vgw_nd_asker asker = {};

	__builtin_memcpy(asker.mac, f->eth.h_dest, 6);
	__builtin_memcpy(asker.ip6, &f->ip6.daddr, 16);
	return probe_take(&nd_probes, &asker);
}

/*
 * Set the Router flag and, when opt, put vMAC index into the Target
 * Link-Layer option at opt; the ICMPv6 checksum follows. Both changes sit at
 * even offsets from the ICMPv6 header, as the 16-bit sum needs.
 */
static __always_inline int na_rewrite(struct __sk_buff *skb, const struct vgw_nd_frame *f, int opt,
				      __u32 index)
{
	__u8 old_word[4], new_word[4], old_opt[8], new_opt[8];
	struct vgw_vmac_entry *v = NULL;
	__s64 diff;

	__builtin_memcpy(old_word, f->word, 4);
	__builtin_memcpy(new_word, f->word, 4);
	new_word[0] |= NA_FLAG_ROUTER;
	diff = bpf_csum_diff((__be32 *)old_word, 4, (__be32 *)new_word, 4, 0);
	if (opt > 0) {
		v = bpf_map_lookup_elem(&vmac_table, &index);
		if (!v || v->state == VGW_VMAC_UNUSED)
			return -1;
		if (bpf_skb_load_bytes(skb, opt & 0xffff, old_opt, 8))
			return -1;
		__builtin_memcpy(new_opt, old_opt, 8);
		__builtin_memcpy(new_opt + 2, v->mac, 6);
		diff = bpf_csum_diff((__be32 *)old_opt, 8, (__be32 *)new_opt, 8, (__wsum)diff);
		if (bpf_skb_store_bytes(skb, (opt & 0xffff) + 2, v->mac, 6, 0))
			return -1;
	}
	if (bpf_skb_store_bytes(skb, ND_OFF_ICMP + 4, new_word, 1, 0))
		return -1;
	return bpf_l4_csum_replace(skb, ND_OFF_ICMP + 2, 0, (__u32)diff, 0) ? -1 : 0;
}

static __always_inline int na_egress(struct __sk_buff *skb, const struct vgw_nd_frame *f, __u32 end,
				     const struct vgw_config *cfg,
				     const struct vgw_steer_params *sp, struct vgw_nd_counters *nc)
{
	struct steer_host host = { .ipv6 = 1 };
	__u32 index, probed;
	int opt;

	if (!ip6_is_virtual(cfg, f->target))
		return TC_ACT_UNSPEC;
	/* unsolicited: every host would take this router's MAC for the gateway */
	if (!(f->word[0] & NA_FLAG_SOLICITED)) {
		nc->unsolicited_dropped++;
		return TC_ACT_SHOT;
	}
	if (daemon_gone()) {
		nc->replies_failsafe++;
		return TC_ACT_SHOT;
	}
	opt = nd_find_opt(skb, ND_OFF_NS_OPTS, end, ND_OPT_TLLA);
	if (opt < 0) {
		nc->malformed_dropped++;
		return TC_ACT_SHOT;
	}
	probed = take_nd_probe(f);
	/* the answer to a unicast NS names no MAC: the host keeps the one it has */
	if (opt == 0) {
		if (na_rewrite(skb, f, 0, 0)) {
			nc->malformed_dropped++;
			return TC_ACT_SHOT;
		}
		nc->replies_plain++;
		return TC_ACT_UNSPEC;
	}
	if (probed && na_rewrite(skb, f, opt, probed) == 0) {
		nc->replies_probe++;
		return TC_ACT_UNSPEC;
	}
	if (!sp->avg) {
		nc->replies_dropped++;
		return TC_ACT_SHOT;
	}
	__builtin_memcpy(host.mac, f->eth.h_dest, 6);
	/* the host's address folded into 32 bits, for host-dependent steering */
#pragma unroll
	for (int i = 0; i < 16; i += 4) {
		__u32 part;

		__builtin_memcpy(&part, (const __u8 *)&f->ip6.daddr + i, 4);
		host.ip ^= part;
	}
	index = pick_committed(cfg, sp, &host);
	if (!index || na_rewrite(skb, f, opt, index)) {
		nc->no_vmac++;
		return TC_ACT_SHOT;
	}
	note_host(&host);
	nc->replies_avg++;
	return TC_ACT_UNSPEC;
}

/* An NS from a virtual address leaves from our own link-local instead. */
static __always_inline int ns_egress(struct __sk_buff *skb, const struct vgw_nd_frame *f,
				     const struct vgw_config *cfg, struct vgw_nd_counters *nc)
{
	__u8 from[16];
	__s64 diff;

	if (!ip6_is_virtual(cfg, (const __u8 *)&f->ip6.saddr))
		return TC_ACT_UNSPEC;
	if (ip6_zero(cfg->ll6)) {
		nc->malformed_dropped++;
		return TC_ACT_SHOT;
	}
	__builtin_memcpy(from, &f->ip6.saddr, 16);
	diff = bpf_csum_diff((__be32 *)from, 16, (__be32 *)cfg->ll6, 16, 0);
	if (bpf_skb_store_bytes(skb, 14 + offsetof(struct ipv6hdr, saddr), cfg->ll6, 16, 0) ||
	    bpf_l4_csum_replace(skb, ND_OFF_ICMP + 2, 0, (__u32)diff, BPF_F_PSEUDO_HDR))
		return TC_ACT_SHOT;
	nc->ns_source_fixed++;
	return TC_ACT_UNSPEC;
}

/*
 * While vgw serves IPv6, the virtual link-local is the hosts' one default
 * router: RAs from any other source that offer a default router (router
 * lifetime above 0) are dropped, and so are RAs from the virtual link-local
 * that carry a Source Link-Layer option (hosts would cache this router's MAC
 * for the gateway and never ask) or withdraw it (lifetime 0: what radvd sends
 * when it stops, which would take the group's default route from every
 * host while the other routers still serve it). The daemon logs the first two.
 */
static __always_inline int ra_egress(struct __sk_buff *skb, const struct vgw_nd_frame *f, __u32 end,
				     const struct vgw_config *cfg, struct vgw_nd_counters *nc)
{
	int offers_default = f->word[2] | f->word[3]; /* router lifetime above 0 */

	if (ip6_zero(cfg->vip6))
		return TC_ACT_UNSPEC;
	if (!ip6_equal((const __u8 *)&f->ip6.saddr, cfg->vip6)) {
		if (!offers_default)
			return TC_ACT_UNSPEC;
		nc->ra_foreign_dropped++;
		return TC_ACT_SHOT;
	}
	if (nd_find_opt(skb, ND_OFF_RA_OPTS, end, ND_OPT_SLLA) > 0) {
		nc->ra_sllao_dropped++;
		return TC_ACT_SHOT;
	}
	if (!offers_default) {
		nc->ra_withdraw_dropped++;
		return TC_ACT_SHOT;
	}
	return TC_ACT_UNSPEC;
}

static __noinline int nd_egress(struct __sk_buff *skb, const struct vgw_config *cfg,
				const struct vgw_steer_params *sp)
{
	struct vgw_nd_frame f;
	struct vgw_nd_counters *nc;
	__u32 end;

	if (ip6_zero(cfg->vip6) && ip6_zero(cfg->vip6_global))
		return TC_ACT_UNSPEC;
	/* an RA without options is shorter than an NS: read up to the RA's part first */
	if (bpf_skb_load_bytes(skb, 0, &f, offsetof(struct vgw_nd_frame, target)))
		return TC_ACT_UNSPEC;
	if (f.ip6.nexthdr != IPPROTO_ICMPV6 || f.code != 0)
		return TC_ACT_UNSPEC;
	if (f.type != ND_ROUTER_ADVERT && f.type != ND_NEIGHBOR_SOLICIT &&
	    f.type != ND_NEIGHBOR_ADVERT)
		return TC_ACT_UNSPEC;
	nc = nd_counters_get();
	if (!nc)
		return TC_ACT_UNSPEC;
	end = ND_OFF_ICMP + bpf_ntohs(f.ip6.payload_len);
	if (end > skb->len)
		end = skb->len;
	if (f.type == ND_ROUTER_ADVERT)
		return ra_egress(skb, &f, end, cfg, nc);
	if (bpf_skb_load_bytes(skb, offsetof(struct vgw_nd_frame, target), f.target, 16))
		return TC_ACT_UNSPEC;
	if (f.type == ND_NEIGHBOR_SOLICIT)
		return ns_egress(skb, &f, cfg, nc);
	return na_egress(skb, &f, end, cfg, sp, nc);
}

#endif /* VGW_TC_ND_BPF_H */
