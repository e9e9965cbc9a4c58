// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/if_link.h>
#include <linux/pkt_sched.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "attach.h"
#include "fdsweep.h"
#include "loadlog.h"
#include "log.h"
#include "netlink.h"
#include "vgw_common.h"
#include "vgw_beat.skel.h"
#include "vgw_state.skel.h"
#include "vgw_tc.skel.h"
#include "vgw_xdp.skel.h"

#define VGW_XDP_PROG_NAME "vgw_xdp"

int vgw_state_maps_create(const char *pin_dir)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin_dir);
	struct vgw_state *s;
	int err;

	s = vgw_state__open_opts(&opts);
	if (!s)
		return -errno;
	err = vgw_state__load(s); /* creates and pins them; the pins keep them */
	vgw_state__destroy(s);
	return err;
}

/*
 * Loads a skeleton's object; a program the verifier rejects is reported (the
 * program, this kernel, the log's last lines: loadlog.h).
 */
static int skel_load(struct bpf_object_skeleton *sk)
{
	char *log = vgw_load_log_attach(*sk->obj);
	int err;

	err = bpf_object__load_skeleton(sk);
	if (err)
		return vgw_load_log_report(*sk->obj, log, err);
	free(log);
	return 0;
}

int vgw_tc_open_load(const char *pin_dir, struct vgw_tc **skel)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin_dir);
	struct vgw_tc *s;
	int err;

	s = vgw_tc__open_opts(&opts);
	if (!s)
		return -errno;
	err = skel_load(s->skeleton);
	if (err) {
		vgw_tc__destroy(s);
		return err;
	}
	*skel = s;
	return 0;
}

int vgw_beat_open_load(const char *pin_dir, struct vgw_beat **skel)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin_dir);
	struct vgw_beat *s;
	int err;

	s = vgw_beat__open_opts(&opts);
	if (!s)
		return -errno;
	err = skel_load(s->skeleton);
	if (err) {
		vgw_beat__destroy(s);
		return err;
	}
	*skel = s;
	return 0;
}

static int tc_attach_one(int ifindex, enum bpf_tc_attach_point point, int prog_fd)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = point);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = VGW_TC_HANDLE, .priority = VGW_TC_PRIORITY,
		    .prog_fd = prog_fd);

	return bpf_tc_attach(&hook, &opts);
}

int vgw_tc_attach(struct vgw_tc *skel, int ifindex, bool *created)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	int err;

	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return err;
	*created = err == 0;
	err = tc_attach_one(ifindex, BPF_TC_EGRESS, bpf_program__fd(skel->progs.vgw_tc_egress));
	if (err && *created)
		bpf_tc_hook_destroy(&hook);
	return err;
}

int vgw_tc_attach_ingress(struct vgw_tc *skel, int ifindex)
{
	return tc_attach_one(ifindex, BPF_TC_INGRESS, bpf_program__fd(skel->progs.vgw_tc_ingress));
}

/* An fd to program id if it is named name (so ours), or -1. */
static int prog_fd_named(__u32 id, const char *name)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd;

	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return -1;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || strcmp(info.name, name)) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool prog_id_named(__u32 id, const char *name)
{
	int fd = prog_fd_named(id, name);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* The flags that attach a program in mode, by itself (no libxdp dispatcher). */
static __u32 xdp_flags_of(enum xdp_attach_mode mode)
{
	return mode == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
}

/*
 * The XDP program on ifindex (ours, or libxdp's dispatcher) and its mode, from
 * the kernel: libxdp is asked only where a dispatcher must be looked into (and
 * then within an fd mark, fdsweep.h).
 */
static int xdp_query(int ifindex, __u32 *id, enum xdp_attach_mode *mode)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	if (bpf_xdp_query(ifindex, 0, &q))
		return -errno;
	*id = q.drv_prog_id ? q.drv_prog_id : q.skb_prog_id;
	*mode = q.drv_prog_id ? XDP_MODE_NATIVE : q.skb_prog_id ? XDP_MODE_SKB : XDP_MODE_UNSPEC;
	return 0;
}

/* Detach the filter at our handle/priority only if it runs our program. */
static void tc_detach_one(int ifindex, enum bpf_tc_attach_point point, const char *prog_name)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = point);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = VGW_TC_HANDLE, .priority = VGW_TC_PRIORITY);

	if (bpf_tc_query(&hook, &opts))
		return;
	if (!prog_id_named(opts.prog_id, prog_name)) {
		pr_debug("tc filter %#x on ifindex %d is not ours, left in place\n", VGW_TC_HANDLE,
			 ifindex);
		return;
	}
	opts.prog_id = 0;
	opts.prog_fd = 0;
	opts.flags = 0;
	bpf_tc_detach(&hook, &opts);
}

void vgw_tc_detach(int ifindex, bool destroy_clsact)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);

	tc_detach_one(ifindex, BPF_TC_EGRESS, "vgw_tc_egress");
	tc_detach_one(ifindex, BPF_TC_INGRESS, "vgw_tc_ingress");
	if (!destroy_clsact)
		return;
	/* Filters someone added after us would go with the qdisc: keep it then. */
	if (nl_tc_filter_count(ifindex, TC_H_MIN_INGRESS) != 0 ||
	    nl_tc_filter_count(ifindex, TC_H_MIN_EGRESS) != 0) {
		pr_debug("clsact on ifindex %d has other filters, left in place\n", ifindex);
		return;
	}
	bpf_tc_hook_destroy(&hook);
}

/* The XDP object's fwd_ports is the pinned one (see vgw_state.bpf.c). */
static int reuse_fwd_ports(struct vgw_xdp *skel, const char *pin_dir)
{
	char path[300];
	int fd, err;

	snprintf(path, sizeof(path), "%s/fwd_ports", pin_dir);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	err = bpf_map__reuse_fd(skel->maps.fwd_ports, fd);
	close(fd);
	return err;
}

/* The XDP object, not loaded yet: cfg's group, pool size, MAC and flags become its constants. */
static int xdp_open(const char *pin_dir, const struct vgw_config *cfg, struct vgw_xdp **out)
{
	LIBBPF_OPTS(bpf_object_open_opts, oopts, .pin_root_path = pin_dir);
	struct vgw_xdp *skel;
	int err;

	skel = vgw_xdp__open_opts(&oopts);
	if (!skel)
		return -errno;
	skel->rodata->cfg_group = cfg->group;
	skel->rodata->cfg_n_vmacs = cfg->n_vmacs;
	memcpy((void *)skel->rodata->cfg_ifmac, cfg->ifmac, sizeof(cfg->ifmac));
	skel->rodata->cfg_fast_path = !!(cfg->flags & VGW_CFG_F_FAST_PATH);
	skel->rodata->cfg_handoff = !!(cfg->flags & VGW_CFG_F_HANDOFF);
	err = reuse_fwd_ports(skel, pin_dir);
	if (err) {
		vgw_xdp__destroy(skel);
		return err;
	}
	*out = skel;
	return 0;
}

/*
 * The XDP program attached through libxdp (alone, or into its dispatcher at
 * run priority prio); a program the verifier rejects is reported.
 */
static int libxdp_attach(struct vgw_xdp *skel, int ifindex, enum xdp_attach_mode mode,
			 unsigned int prio)
{
	DECLARE_LIBXDP_OPTS(xdp_program_opts, xopts, .obj = skel->obj,
			    .prog_name = VGW_XDP_PROG_NAME);
	char *log = vgw_load_log_attach(skel->obj);
	struct xdp_program *prog;
	int err;

	prog = xdp_program__create(&xopts);
	err = libxdp_get_error(prog);
	if (err) {
		free(log);
		return err;
	}
	xdp_program__set_run_prio(prog, prio);
	err = xdp_program__attach(prog, ifindex, mode, 0);
	/* rejected by the verifier: the program never loaded */
	if (err && bpf_program__fd(skel->progs.vgw_xdp) < 0) {
		err = vgw_load_log_report(skel->obj, log, err);
		log = NULL;
	}
	free(log);
	xdp_program__close(prog);
	return err;
}

int vgw_xdp_attach(const char *pin_dir, const struct vgw_config *cfg, int ifindex,
		   enum xdp_attach_mode mode, enum xdp_attach_mode *attached)
{
	struct vgw_xdp *skel;
	struct fd_mark mark;
	__u32 id;
	int err;

	err = xdp_open(pin_dir, cfg, &skel);
	if (err)
		return err;
	fd_mark_take(&mark);
	err = libxdp_attach(skel, ifindex, mode, XDP_DEFAULT_RUN_PRIO);
	if (!err && (xdp_query(ifindex, &id, attached) || *attached == XDP_MODE_UNSPEC))
		*attached = mode;
	vgw_xdp__destroy(skel);
	fd_mark_sweep(&mark);
	return err;
}

/* Our program among the dispatcher's; NULL if none (or no dispatcher). */
static struct xdp_program *find_ours(struct xdp_multiprog *mp)
{
	struct xdp_program *p;

	if (xdp_multiprog__is_legacy(mp))
		return NULL;
	for (p = xdp_multiprog__next_prog(NULL, mp); p; p = xdp_multiprog__next_prog(p, mp))
		if (!strcmp(xdp_program__name(p), VGW_XDP_PROG_NAME))
			return p;
	return NULL;
}

/*
 * Our program under libxdp's dispatcher on ifindex, or NULL (*mp then NULL
 * too). The caller closes *mp, inside an fd mark (fdsweep.h).
 */
static struct xdp_program *dispatched_ours(int ifindex, struct xdp_multiprog **mp)
{
	struct xdp_program *p;

	*mp = xdp_multiprog__get_from_ifindex(ifindex);
	if (libxdp_get_error(*mp) || !*mp) {
		*mp = NULL;
		return NULL;
	}
	p = find_ours(*mp);
	if (!p) {
		xdp_multiprog__close(*mp);
		*mp = NULL;
	}
	return p;
}

/* Attached alone: the kernel swaps the program only if the old one is still there. */
static int replace_alone(struct vgw_xdp *skel, int old_fd, int ifindex, enum xdp_attach_mode mode)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = old_fd);
	int err;

	err = skel_load(skel->skeleton);
	if (err)
		return err;
	if (bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.vgw_xdp),
			   xdp_flags_of(mode) | XDP_FLAGS_REPLACE, &opts))
		return -errno;
	return 0;
}

/*
 * Under libxdp's dispatcher, which swaps itself atomically but has no swap of
 * one program: the new program joins ahead of the old one, then the old one
 * leaves. In between both run, the new one first: it drops what is not ours
 * and rewrites what is to our own MAC, so the old one sees no vMAC frame and
 * passes everything on, counting nothing twice. (Each swap moves us one run
 * priority earlier.)
 */
static int replace_in_dispatcher(struct vgw_xdp *skel, struct xdp_program *old, int ifindex,
				 enum xdp_attach_mode mode)
{
	unsigned int prio = xdp_program__run_prio(old);
	int err;

	err = libxdp_attach(skel, ifindex, mode, prio ? prio - 1 : 0);
	/* by id: the old program, not the new one of the same name */
	if (!err)
		err = xdp_program__detach(old, ifindex, mode, 0);
	return err;
}

int vgw_xdp_replace(const char *pin_dir, const struct vgw_config *cfg, int ifindex)
{
	struct xdp_multiprog *mp = NULL;
	struct xdp_program *old = NULL;
	enum xdp_attach_mode mode;
	struct vgw_xdp *skel;
	struct fd_mark mark;
	int err, old_fd = -1;
	__u32 id;

	fd_mark_take(&mark);
	err = xdp_query(ifindex, &id, &mode);
	if (err)
		return err;
	if (!id)
		return -ENOENT;
	old_fd = prog_fd_named(id, VGW_XDP_PROG_NAME);
	if (old_fd < 0) {
		old = dispatched_ours(ifindex, &mp);
		if (!old) {
			err = -ENOENT;
			goto out;
		}
	}
	err = xdp_open(pin_dir, cfg, &skel);
	if (!err) {
		err = old ? replace_in_dispatcher(skel, old, ifindex, mode)
			  : replace_alone(skel, old_fd, ifindex, mode);
		vgw_xdp__destroy(skel);
	}
out:
	if (old_fd >= 0)
		close(old_fd);
	xdp_multiprog__close(mp);
	fd_mark_sweep(&mark);
	return err;
}

bool vgw_xdp_attached(int ifindex)
{
	enum xdp_attach_mode mode;
	struct xdp_multiprog *mp;
	struct fd_mark mark;
	bool found;
	__u32 id;

	if (xdp_query(ifindex, &id, &mode) || !id)
		return false;
	if (prog_id_named(id, VGW_XDP_PROG_NAME))
		return true;
	fd_mark_take(&mark);
	found = dispatched_ours(ifindex, &mp);
	xdp_multiprog__close(mp);
	fd_mark_sweep(&mark);
	return found;
}

int vgw_xdp_detach(int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
	enum xdp_attach_mode mode;
	struct xdp_multiprog *mp;
	struct xdp_program *p;
	struct fd_mark mark;
	int err = 0;
	__u32 id;

	if (xdp_query(ifindex, &id, &mode) || !id)
		return 0;
	opts.old_prog_fd = prog_fd_named(id, VGW_XDP_PROG_NAME);
	if (opts.old_prog_fd >= 0) {
		/* only if it is still the program we looked at */
		if (bpf_xdp_detach(ifindex, xdp_flags_of(mode) | XDP_FLAGS_REPLACE, &opts))
			err = -errno;
		close(opts.old_prog_fd);
		return err;
	}
	fd_mark_take(&mark);
	p = dispatched_ours(ifindex, &mp);
	if (p)
		err = xdp_program__detach(p, ifindex, mode, 0);
	xdp_multiprog__close(mp);
	fd_mark_sweep(&mark);
	return err;
}

const char *vgw_xdp_mode_str(enum xdp_attach_mode mode)
{
	switch (mode) {
	case XDP_MODE_NATIVE:
		return "native";
	case XDP_MODE_SKB:
		return "skb";
	case XDP_MODE_HW:
		return "hw";
	default:
		return "unspec";
	}
}
