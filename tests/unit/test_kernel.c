// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What vgw needs of the kernel (kernel.c): the first thing missing, named with its release. */
#include <criterion/criterion.h>

#include "kernel.h"

static const struct vgw_kernel_features all = {
	.btf = true, .loop = true, .timer = true, .ct_kfuncs = true, .conntrack = true
};

Test(kernel, nothing_missing_on_a_kernel_with_everything)
{
	cr_assert_null(vgw_kernel_missing(&all, false));
	cr_assert_null(vgw_kernel_missing(&all, true));
}

Test(kernel, each_missing_piece_named_with_the_first_release_that_has_it)
{
	struct vgw_kernel_features f = all;

	f.btf = false;
	cr_assert_str_eq(
		vgw_kernel_missing(&f, false),
		"BTF for the kernel (CONFIG_DEBUG_INFO_BTF, /sys/kernel/btf/vmlinux; Linux 5.4)");
	f = all;
	f.timer = false;
	cr_assert_str_eq(vgw_kernel_missing(&f, false), "BPF timers (Linux 5.15)");
	f = all;
	f.loop = false;
	cr_assert_str_eq(vgw_kernel_missing(&f, false), "the bpf_loop helper (Linux 5.17)");
}

Test(kernel, conntrack_kfuncs_matter_only_for_the_handoff)
{
	struct vgw_kernel_features f = all;

	f.ct_kfuncs = false;
	cr_assert_null(vgw_kernel_missing(&f, false));
	cr_assert_str_eq(vgw_kernel_missing(&f, true),
			 "the conntrack lookup for XDP programs (bpf_xdp_ct_lookup, Linux 6.0, "
			 "CONFIG_NF_CONNTRACK with BTF)");
}

Test(kernel, the_oldest_need_is_named_first)
{
	struct vgw_kernel_features none = { 0 };

	cr_assert_str_eq(
		vgw_kernel_missing(&none, true),
		"BTF for the kernel (CONFIG_DEBUG_INFO_BTF, /sys/kernel/btf/vmlinux; Linux 5.4)");
}

Test(kernel, this_kernel_has_what_vgw_needs)
{
	struct vgw_kernel_features f;

	/* the machine the tests run on (the host, or a kernel-matrix guest) */
	vgw_kernel_probe(&f);
	cr_assert(f.btf && f.loop && f.timer, "btf %d loop %d timer %d", f.btf, f.loop, f.timer);
}
