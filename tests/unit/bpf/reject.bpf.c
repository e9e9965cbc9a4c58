// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A program every verifier rejects: it reads the packet without a bounds check. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int vgw_reject(struct xdp_md *ctx)
{
	return *(__u32 *)(long)ctx->data ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
