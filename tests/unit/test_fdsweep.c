// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <bpf/bpf.h>

#include "fdsweep.h"

/* A program that returns 0: as a socket filter, loadable wherever BPF is. */
static int load_trivial_prog(void)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "vgw_sweep_test", "GPL", insns, 2, NULL);
}

static bool fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

Test(fdsweep, closes_only_bpf_programs_opened_since_the_mark)
{
	struct fd_mark mark;
	int before = load_trivial_prog(), leaked, file;

	cr_assert_geq(before, 0, "loading a socket filter: %s", strerror(errno));
	fd_mark_take(&mark);
	leaked = load_trivial_prog();
	file = open("/dev/null", O_RDONLY);
	cr_assert_geq(leaked, 0);
	cr_assert_geq(file, 0);

	cr_assert_eq(fd_mark_sweep(&mark), 1);
	cr_assert_not(fd_open(leaked), "the program fd opened after the mark is closed");
	cr_assert(fd_open(before), "the program fd open before the mark stays");
	cr_assert(fd_open(file), "a file opened after the mark stays");
	cr_assert_eq(fd_mark_sweep(&mark), 0);
	close(file);
	close(before);
}
