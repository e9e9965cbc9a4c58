/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What vgw needs of the running kernel, checked before anything is loaded,
 * so that an old kernel gets one line naming what it lacks and the first
 * Linux release that has it, never a verifier log.
 */
#ifndef VGW_KERNEL_H
#define VGW_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

struct vgw_kernel_features {
	bool btf;	/* /sys/kernel/btf/vmlinux: CO-RE relocations resolve against it */
	bool loop;	/* the bpf_loop helper: every steering loop */
	bool timer;	/* BPF timers: the heartbeat that fails the data plane safe */
	bool ct_kfuncs; /* bpf_xdp_ct_lookup (vmlinux or nf_conntrack's BTF): the handoff */
	bool conntrack; /* conntrack is loaded (its sysctls exist) */
};

/* Probes the running kernel (needs CAP_BPF for the helper probes). */
void vgw_kernel_probe(struct vgw_kernel_features *f);

/*
 * The first thing missing for a data plane with (handoff) or without the
 * connection handoff, as "WHAT (Linux N.M)"; NULL when nothing is. Pure.
 */
const char *vgw_kernel_missing(const struct vgw_kernel_features *f, bool handoff);

/* The running kernel's release (uname -r) into buf. */
const char *vgw_kernel_release(char *buf, size_t size);

#endif
