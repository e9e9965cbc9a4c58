// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Programs that do nothing: the baseline for benchmarks, and a foreign XDP program for tests. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int empty_xdp(struct xdp_md *ctx __attribute__((unused)))
{
	return XDP_PASS;
}

SEC("tc")
int empty_tc(struct __sk_buff *skb __attribute__((unused)))
{
	return -1; /* TC_ACT_UNSPEC */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
