// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "attach.h"
#include "loadlog.h"

/* Everything written to stderr while fn(arg) runs. */
static char *stderr_of(int (*fn)(struct bpf_object *), struct bpf_object *obj, int *ret)
{
	static char out[8192];
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t n;

	cr_assert(tmp && saved >= 0);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	*ret = fn(obj);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

static int load_and_report(struct bpf_object *obj)
{
	char *log = vgw_load_log_attach(obj);
	int err = bpf_object__load(obj);

	cr_assert_lt(err, 0, "the verifier accepted a program that reads past the packet");
	return vgw_load_log_report(obj, log, err);
}

Test(loadlog, a_rejection_names_the_program_the_kernel_and_the_verifiers_last_lines)
{
	struct bpf_object *obj = bpf_object__open_file(VGW_REJECT_OBJ, NULL);
	char first[256], *out, *line;
	struct utsname u;
	int ret, lines = 0;

	cr_assert(obj, "open %s", VGW_REJECT_OBJ);
	libbpf_set_print(NULL); /* libbpf's own account of the failure is not ours */
	out = stderr_of(load_and_report, obj, &ret);
	cr_assert_eq(ret, VGW_ERR_REPORTED);
	uname(&u);
	snprintf(first, sizeof(first),
		 "vgw: error: this kernel (%s) rejected the BPF program vgw_reject (Permission "
		 "denied); the verifier's last lines:",
		 u.release);
	/* where the verifier says why: the unchecked read of the packet */
	cr_assert(strstr(out, "invalid access to packet"), "the reason is among the lines:\n%s",
		  out);
	line = strtok(out, "\n");
	cr_assert_str_eq(line, first);
	while ((line = strtok(NULL, "\n"))) {
		cr_assert_eq(strncmp(line, "vgw:   ", 7), 0, "a log line: '%s'", line);
		lines++;
	}
	cr_assert(lines >= 1 && lines <= 6, "%d of the log's last lines", lines);
	bpf_object__close(obj);
}
