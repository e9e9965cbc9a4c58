// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The forwarding bench's own programs: the traffic generator (each live test
 * frame sent out of the generator's veth), the sink at the far end (counts
 * the bench's UDP frames and drops them), and the bare XDP forwarder vgw's
 * fast path is measured against (route lookup, TTL, redirect; nothing else).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_IP    0x0800
#define AF_INET	    2
#define IPPROTO_UDP 17
#define BENCH_PORT  9 /* discard */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sink_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} tx_ports SEC(".maps");

#define GEN_LEN	 60
#define GEN_CPUS 64
/* set by vgw-trafficgen, a flow per CPU; not const, or clang folds the copy */
__u8 gen_frame[GEN_CPUS][GEN_LEN];

/*
 * BPF_F_TEST_XDP_LIVE_FRAMES: XDP_TX sends the frame out of the ingress
 * device. The pages come back to the generator after the router has
 * rewritten them (MACs, TTL), and live mode fills a page from data_in only
 * once: write the whole frame each time.
 */
SEC("xdp")
int gen_tx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 cpu = bpf_get_smp_processor_id() % GEN_CPUS;

	if (data + GEN_LEN > end)
		return XDP_ABORTED;
	__builtin_memcpy(data, gen_frame[cpu], GEN_LEN);
	return XDP_TX;
}

SEC("xdp")
int sink(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	struct udphdr *udp = (struct udphdr *)(ip + 1);
	__u32 zero = 0;
	__u64 *n;

	if ((void *)(udp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->protocol != IPPROTO_UDP || udp->dest != bpf_htons(BENCH_PORT))
		return XDP_PASS; /* ARP and the like: the sink is a host too */
	n = bpf_map_lookup_elem(&sink_count, &zero);
	if (n)
		(*n)++;
	return XDP_DROP;
}

/* In the manner of the kernel's samples/bpf/xdp_fwd: IPv4 only, which the bench sends. */
SEC("xdp")
int bare_fwd(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct bpf_fib_lookup fib = {};
	struct ethhdr *eth = data;
	struct iphdr *ip = (struct iphdr *)(eth + 1);
	__u32 csum;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ttl <= 1)
		return XDP_PASS;
	fib.family = AF_INET;
	fib.tos = ip->tos;
	fib.l4_protocol = ip->protocol;
	fib.tot_len = bpf_ntohs(ip->tot_len);
	fib.ipv4_src = ip->saddr;
	fib.ipv4_dst = ip->daddr;
	fib.ifindex = ctx->ingress_ifindex;
	if (bpf_fib_lookup(ctx, &fib, sizeof(fib), 0) != BPF_FIB_LKUP_RET_SUCCESS)
		return XDP_PASS;
	csum = ip->check;
	csum += bpf_htons(0x0100);
	ip->check = (__u16)(csum + (csum >= 0xffff));
	ip->ttl--;
	__builtin_memcpy(eth->h_dest, fib.dmac, 6);
	__builtin_memcpy(eth->h_source, fib.smac, 6);
	return bpf_redirect_map(&tx_ports, fib.ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
