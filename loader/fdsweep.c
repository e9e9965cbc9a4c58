// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdsweep.h"

/* Each fd below FD_MARK_MAX in /proc/self/fd, but the directory's own. */
static int open_fds(int *fds, int max)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0, fd;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		fd = atoi(e->d_name);
		if (e->d_name[0] != '.' && fd != dirfd(d) && fd < FD_MARK_MAX)
			fds[n++] = fd;
	}
	closedir(d);
	return n;
}

static int is_bpf_prog_or_link(int fd)
{
	char path[64], target[64];
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	len = readlink(path, target, sizeof(target) - 1);
	if (len < 0)
		return 0;
	target[len] = '\0';
	return !strcmp(target, "anon_inode:bpf-prog") || !strcmp(target, "anon_inode:bpf_link");
}

void fd_mark_take(struct fd_mark *m)
{
	int fds[FD_MARK_MAX], n, i;

	memset(m, 0, sizeof(*m));
	n = open_fds(fds, FD_MARK_MAX);
	for (i = 0; i < n; i++)
		m->open[fds[i] / 8] |= 1u << (fds[i] % 8);
}

int fd_mark_sweep(const struct fd_mark *m)
{
	int fds[FD_MARK_MAX], n, i, closed = 0;

	/* listed first, closed after: the directory is not read while it changes */
	n = open_fds(fds, FD_MARK_MAX);
	for (i = 0; i < n; i++) {
		if (m->open[fds[i] / 8] & (1u << (fds[i] % 8)) || !is_bpf_prog_or_link(fds[i]))
			continue;
		close(fds[i]);
		closed++;
	}
	return closed;
}
