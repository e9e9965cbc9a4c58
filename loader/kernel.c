// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "kernel.h"

#define CT_LOOKUP "bpf_xdp_ct_lookup"

static bool has_func(const struct btf *btf, const char *name)
{
	return btf && btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

/* In vmlinux when conntrack is built in, else in the nf_conntrack module's BTF (once loaded). */
static bool ct_kfuncs(struct btf *vmlinux)
{
	struct btf *mod;
	bool found;

	if (has_func(vmlinux, CT_LOOKUP))
		return true;
	if (!vmlinux || access("/sys/kernel/btf/nf_conntrack", R_OK))
		return false;
	mod = btf__load_module_btf("nf_conntrack", vmlinux);
	found = has_func(mod, CT_LOOKUP);
	btf__free(mod);
	return found;
}

void vgw_kernel_probe(struct vgw_kernel_features *f)
{
	struct btf *vmlinux = NULL;

	memset(f, 0, sizeof(*f));
	f->btf = access("/sys/kernel/btf/vmlinux", R_OK) == 0;
	if (f->btf)
		vmlinux = btf__load_vmlinux_btf();
	if (vmlinux && libbpf_get_error(vmlinux))
		vmlinux = NULL;
	f->loop = libbpf_probe_bpf_helper(BPF_PROG_TYPE_SCHED_CLS, BPF_FUNC_loop, NULL) == 1;
	f->timer = libbpf_probe_bpf_helper(BPF_PROG_TYPE_SCHED_CLS, BPF_FUNC_timer_init, NULL) == 1;
	f->conntrack = access("/proc/sys/net/netfilter/nf_conntrack_max", F_OK) == 0;
	f->ct_kfuncs = ct_kfuncs(vmlinux);
	btf__free(vmlinux);
}

const char *vgw_kernel_missing(const struct vgw_kernel_features *f, bool handoff)
{
	if (!f->btf)
		return "BTF for the kernel (CONFIG_DEBUG_INFO_BTF, /sys/kernel/btf/vmlinux; Linux "
		       "5.4)";
	if (!f->timer)
		return "BPF timers (Linux 5.15)";
	if (!f->loop)
		return "the bpf_loop helper (Linux 5.17)";
	if (handoff && !f->ct_kfuncs)
		return "the conntrack lookup for XDP programs (bpf_xdp_ct_lookup, Linux 6.0, "
		       "CONFIG_NF_CONNTRACK with BTF)";
	return NULL;
}

const char *vgw_kernel_release(char *buf, size_t size)
{
	struct utsname u;

	snprintf(buf, size, "%s", uname(&u) ? "unknown" : u.release);
	return buf;
}
