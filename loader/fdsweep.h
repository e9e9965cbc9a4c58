/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_FDSWEEP_H
#define VGW_FDSWEEP_H

/*
 * libxdp 1.3 leaks the BPF program fds it opens to look at an interface (one
 * per xdp_multiprog__get_from_ifindex(), which its own attach and detach call
 * too). A leaked fd keeps a swapped-out program loaded and makes a daemon's fds
 * grow every poll. Around a use of libxdp: mark the fds open before, and once
 * every libxdp object is closed again, close the BPF program and link fds
 * opened since (nothing of ours holds one past that point).
 */
#define FD_MARK_MAX 4096

struct fd_mark {
	unsigned char open[FD_MARK_MAX / 8];
};

void fd_mark_take(struct fd_mark *m);
/* Close BPF program and link fds opened since m was taken; returns how many. */
int fd_mark_sweep(const struct fd_mark *m);

#endif
