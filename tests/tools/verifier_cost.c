// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw-verifier-cost: loads every program of vgw's objects, unpinned and
 * attached nowhere, in each build the daemon can ask for (the XDP program
 * plain, with the fast path, with the handoff), and prints what the running
 * kernel's verifier spent on each, one line a program:
 *   VGW-VERIFIER <kernel> <object>/<program> insns <n> processed <n> peak_states <n>
 * insns: the instructions the kernel holds after verification (xlated);
 * processed and peak_states: the verifier's own figures (its stats log).
 * Exit 1 when a program does not load (its log's last lines are printed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "vgw_beat.skel.h"
#include "vgw_tc.skel.h"
#include "vgw_xdp.skel.h"

#define LOG_SIZE (1 << 20)

static char release[128];
static char logbuf[LOG_SIZE];

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

/* Pins go nowhere (the maps are this process's own), logs into logbuf with statistics. */
static void prepare(struct bpf_object *obj)
{
	struct bpf_program *prog;
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) bpf_map__set_pin_path(map, NULL);
	bpf_object__for_each_program(prog, obj)
	{
		/* 4: BPF_LOG_STATS, the figures without the instruction trace */
		bpf_program__set_log_level(prog, 4);
		bpf_program__set_log_buf(prog, logbuf, sizeof(logbuf));
	}
	logbuf[0] = 0;
}

/* The log's last lines, where a rejection says why. */
static void print_tail(const char *log, int lines)
{
	const char *p = log + strlen(log);
	int n = 0;

	while (p > log && n <= lines)
		if (*--p == '\n')
			n++;
	fprintf(stderr, "%s\n", p == log ? p : p + 1);
}

static unsigned long figure(const char *log, const char *name)
{
	const char *p = strstr(log, name);

	return p ? strtoul(p + strlen(name), NULL, 10) : 0;
}

/* One program's line, from its log (the stats line is the last one written) and the kernel's info.
 */
static void report(const char *object, const struct bpf_program *prog, const char *log)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len);
	printf("VGW-VERIFIER %s %s/%s insns %u processed %lu peak_states %lu\n", release, object,
	       bpf_program__name(prog), info.xlated_prog_len / 8, figure(log, "processed "),
	       figure(log, "peak_states "));
}

static int failed(const char *object, int err)
{
	fprintf(stderr,
		"vgw-verifier-cost: %s does not load on %s: %s; the verifier's last lines:\n",
		object, release, strerror(-err));
	print_tail(logbuf, 12);
	return 1;
}

/* The XDP object as vgw_xdp_attach() builds it; the log is per program, and it has one. */
static int xdp(const char *name, __u8 fast_path, __u8 handoff)
{
	struct vgw_xdp *s = vgw_xdp__open();
	int err;

	if (!s)
		return failed(name, -errno);
	prepare(s->obj);
	s->rodata->cfg_group = 1;
	s->rodata->cfg_n_vmacs = 256;
	s->rodata->cfg_fast_path = fast_path;
	s->rodata->cfg_handoff = handoff;
	err = vgw_xdp__load(s);
	if (err) {
		vgw_xdp__destroy(s);
		return failed(name, err);
	}
	report(name, s->progs.vgw_xdp, logbuf);
	vgw_xdp__destroy(s);
	return 0;
}

/* tc's two programs: loaded one at a time, so that each log holds its own figures. */
static int tc(void)
{
	struct vgw_tc *s;
	int err, which;

	for (which = 0; which < 2; which++) {
		struct bpf_program *prog;

		s = vgw_tc__open();
		if (!s)
			return failed("vgw_tc", -errno);
		prepare(s->obj);
		prog = which ? s->progs.vgw_tc_ingress : s->progs.vgw_tc_egress;
		bpf_program__set_autoload(which ? s->progs.vgw_tc_egress : s->progs.vgw_tc_ingress,
					  false);
		err = vgw_tc__load(s);
		if (err) {
			vgw_tc__destroy(s);
			return failed("vgw_tc", err);
		}
		report("vgw_tc", prog, logbuf);
		vgw_tc__destroy(s);
	}
	return 0;
}

static int beat(void)
{
	struct vgw_beat *s = vgw_beat__open();
	int err;

	if (!s)
		return failed("vgw_beat", -errno);
	prepare(s->obj);
	err = vgw_beat__load(s);
	if (err) {
		vgw_beat__destroy(s);
		return failed("vgw_beat", err);
	}
	report("vgw_beat", s->progs.vgw_beat, logbuf);
	vgw_beat__destroy(s);
	return 0;
}

int main(void)
{
	struct utsname u;
	int bad = 0;

	uname(&u);
	snprintf(release, sizeof(release), "%s", u.release);
	libbpf_set_print(quiet);
	bad |= xdp("vgw_xdp", 0, 0);
	bad |= xdp("vgw_xdp+fast_path", 1, 0);
	bad |= xdp("vgw_xdp+handoff", 0, 1);
	bad |= tc();
	bad |= beat();
	return bad;
}
