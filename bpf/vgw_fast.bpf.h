/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --fast-path: forward an owned frame in XDP when the kernel would only look
 * up the route, decrement the TTL and send it on. Everything else (a frame
 * that needs the kernel to answer, fragment, resolve or filter it) takes the
 * default path, rewritten to the router's MAC and passed up. Included by
 * vgw_xdp.bpf.c only.
 */
#ifndef VGW_FAST_BPF_H
#define VGW_FAST_BPF_H

#include "vgw_maps.bpf.h"

#define AF_INET		  2
#define AF_INET6	  10
#define IP_MF_OFFSET	  0x3fff /* the more-fragments bit and the offset */
#define IPV6_FLOWINFO	  0x0fffffff
#define IPPROTO_HOPOPTS	  0
#define IPPROTO_FRAGMENT6 44

/* the egress ports: the pinned map of vgw_state.bpf.c, given by the loader */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, VGW_FWD_PORTS_MAX);
	__type(key, __u32);
	__type(value, __u32);
} fwd_ports SEC(".maps");

/* The fast path's own result: redirected, or left to the kernel for a reason. */
#define FAST_FORWARDED (-1)

static __always_inline struct vgw_fast_counters *fast_counters_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&fast_counters, &zero);
}

static __always_inline int fib_fallback(long rc)
{
	switch (rc) {
	case BPF_FIB_LKUP_RET_NOT_FWDED:
		return VGW_FAST_LOCAL;
	case BPF_FIB_LKUP_RET_NO_NEIGH:
		return VGW_FAST_NO_NEIGH;
	case BPF_FIB_LKUP_RET_BLACKHOLE:
	case BPF_FIB_LKUP_RET_UNREACHABLE:
	case BPF_FIB_LKUP_RET_PROHIBIT:
		return VGW_FAST_UNREACHABLE;
	case BPF_FIB_LKUP_RET_FRAG_NEEDED:
		return VGW_FAST_MTU;
	default: /* forwarding off on the LAN, a tunnel (lwt) route, no source address */
		return VGW_FAST_OTHER;
	}
}

/*
 * Ask the FIB (with the policy rules, as the kernel's forwarding does) and
 * claim a port in fwd_ports. Returns FAST_FORWARDED with the redirect set, or
 * the reason to fall back; nothing in the frame has changed either way.
 */
static __always_inline int fib_and_port(struct xdp_md *ctx, struct bpf_fib_lookup *fib)
{
	long rc;

	fib->ifindex = ctx->ingress_ifindex;
	rc = bpf_fib_lookup(ctx, fib, sizeof(*fib), 0);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return fib_fallback(rc);
	/* back out of the LAN: the kernel sends the host a redirect */
	if (fib->ifindex == ctx->ingress_ifindex)
		return VGW_FAST_NO_PORT;
	/* an egress that cannot take XDP frames would drop them: not in the map */
	if (bpf_redirect_map(&fwd_ports, fib->ifindex, XDP_PASS) != XDP_REDIRECT)
		return VGW_FAST_NO_PORT;
	return FAST_FORWARDED;
}

static __always_inline int fast_ipv4(struct xdp_md *ctx, struct ethhdr *eth, void *data_end)
{
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct bpf_fib_lookup fib = {};
	const __u8 *src, *dst;
	__u32 csum;
	int rc;

	if ((void *)(ip + 1) > data_end)
		return VGW_FAST_OTHER;
	if (ip->ihl != 5 || ip->version != 4)
		return VGW_FAST_OPTIONS;
	if (ip->frag_off & bpf_htons(IP_MF_OFFSET))
		return VGW_FAST_FRAGMENT;
	if (ip->ttl <= 1)
		return VGW_FAST_TTL;
	src = (const __u8 *)&ip->saddr;
	dst = (const __u8 *)&ip->daddr;
	/* multicast, class E and broadcast: the FIB would send them on as unicast */
	if (dst[0] >= 224)
		return VGW_FAST_LOCAL;
	/* martian sources the kernel drops; the FIB does not look at the source */
	if (src[0] == 0 || src[0] == 127 || src[0] >= 224)
		return VGW_FAST_OTHER;
	fib.family = AF_INET;
	fib.tos = ip->tos;
	fib.l4_protocol = ip->protocol;
	fib.tot_len = bpf_ntohs(ip->tot_len);
	fib.ipv4_src = ip->saddr;
	fib.ipv4_dst = ip->daddr;
	rc = fib_and_port(ctx, &fib);
	if (rc != FAST_FORWARDED)
		return rc;
	/* TTL is the high byte of its 16-bit word: the RFC 1624 update, as the kernel's */
	csum = ip->check;
	csum += bpf_htons(0x0100);
	ip->check = (__u16)(csum + (csum >= 0xffff));
	ip->ttl--;
	__builtin_memcpy(eth->h_dest, fib.dmac, 6);
	__builtin_memcpy(eth->h_source, fib.smac, 6);
	return FAST_FORWARDED;
}

static __always_inline int fast_ipv6(struct xdp_md *ctx, struct ethhdr *eth, void *data_end)
{
	struct ipv6hdr *ip6 = (struct ipv6hdr *)(eth + 1);
	struct bpf_fib_lookup fib = {};
	const __u8 *src, *dst;
	int rc;

	if ((void *)(ip6 + 1) > data_end)
		return VGW_FAST_OTHER;
	if (ip6->nexthdr == IPPROTO_HOPOPTS)
		return VGW_FAST_OPTIONS;
	if (ip6->nexthdr == IPPROTO_FRAGMENT6)
		return VGW_FAST_FRAGMENT;
	if (ip6->hop_limit <= 1)
		return VGW_FAST_TTL;
	src = (const __u8 *)&ip6->saddr;
	dst = (const __u8 *)&ip6->daddr;
	/* multicast, and link-local either way: never forwarded (ND lands here) */
	if (dst[0] == 0xff || (dst[0] == 0xfe && (dst[1] & 0xc0) == 0x80) ||
	    (src[0] == 0xfe && (src[1] & 0xc0) == 0x80))
		return VGW_FAST_LOCAL;
	if (src[0] == 0xff)
		return VGW_FAST_OTHER;
	fib.family = AF_INET6;
	fib.flowinfo = *(__be32 *)ip6 & bpf_htonl(IPV6_FLOWINFO);
	fib.l4_protocol = ip6->nexthdr;
	fib.tot_len = bpf_ntohs(ip6->payload_len) + sizeof(*ip6);
	__builtin_memcpy(fib.ipv6_src, &ip6->saddr, 16);
	__builtin_memcpy(fib.ipv6_dst, &ip6->daddr, 16);
	rc = fib_and_port(ctx, &fib);
	if (rc != FAST_FORWARDED)
		return rc;
	ip6->hop_limit--;
	__builtin_memcpy(eth->h_dest, fib.dmac, 6);
	__builtin_memcpy(eth->h_source, fib.smac, 6);
	return FAST_FORWARDED;
}

/* XDP_REDIRECT when forwarded here; XDP_PASS when the caller must take the default path. */
static __always_inline int fast_forward(struct xdp_md *ctx, struct ethhdr *eth, void *data_end)
{
	struct vgw_fast_counters *fc = fast_counters_get();
	int rc;

	if (!fc)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		rc = fast_ipv4(ctx, eth, data_end);
	else if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		rc = fast_ipv6(ctx, eth, data_end);
	else
		rc = VGW_FAST_NOT_IP;
	if (rc == FAST_FORWARDED) {
		fc->forwarded_packets++;
		fc->forwarded_bytes += (long)data_end - (long)eth;
		return XDP_REDIRECT;
	}
	if (rc >= 0 && rc < VGW_FAST_N_FALLBACKS)
		VGW_FAST_FALLBACK(fc, rc)++;
	return XDP_PASS;
}

#endif /* VGW_FAST_BPF_H */
