// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "attach.h"
#include "kernel.h"
#include "loadlog.h"
#include "log.h"

/*
 * A verifier's rejection, told the operator's way: the program, the kernel
 * and the log's last lines (where the verifier says why), never the whole
 * log. The buffer is large because kernels before 6.4 keep a log's start,
 * not its end, when it overflows. libbpf asks for the log only on a retry
 * after a failed load, so a load that succeeds costs nothing.
 */
#define LOAD_LOG_SIZE  (16u << 20)
#define LOAD_LOG_LINES 6

char *vgw_load_log_attach(struct bpf_object *obj)
{
	struct bpf_program *prog;
	char *buf = calloc(1, LOAD_LOG_SIZE);

	if (!buf)
		return NULL;
	bpf_object__for_each_program(prog, obj) bpf_program__set_log_buf(prog, buf, LOAD_LOG_SIZE);
	return buf;
}

/* After a failed load of obj: the report, and VGW_ERR_REPORTED; err itself if nothing to report. */
int vgw_load_log_report(struct bpf_object *obj, char *buf, int err)
{
	struct bpf_program *prog, *failed = NULL;
	char release[128];
	const char *p, *end;
	int lines = 0;

	if (!buf || !buf[0]) {
		free(buf);
		return err;
	}
	bpf_object__for_each_program(prog, obj)
	{
		if (!failed && bpf_program__autoload(prog) && bpf_program__fd(prog) < 0)
			failed = prog;
	}
	pr_warn("vgw: error: this kernel (%s) rejected the BPF program %s (%s); the verifier's "
		"last lines:\n",
		vgw_kernel_release(release, sizeof(release)),
		failed ? bpf_program__name(failed) : bpf_object__name(obj), strerror(-err));
	end = buf + strlen(buf);
	while (end > buf && end[-1] == '\n')
		end--;
	for (p = end; p > buf && lines < LOAD_LOG_LINES; p--)
		if (p[-1] == '\n')
			lines++;
	if (p > buf && *p == '\n')
		p++;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		int len = nl ? (int)(nl - p) : (int)(end - p);

		pr_warn("vgw:   %.*s\n", len, p);
		p += len + 1;
	}
	free(buf);
	return VGW_ERR_REPORTED;
}
