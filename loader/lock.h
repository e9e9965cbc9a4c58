/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One vgw run per interface. The daemon holds an flock on the interface's
 * daemon_status pin for its whole life; the kernel drops it when the process
 * ends, however it ends, so a dead daemon is told from a live one without
 * trusting a pid that may have been reused.
 */
#ifndef VGW_LOCK_H
#define VGW_LOCK_H

#include <stdbool.h>

/* Take the lock: the fd to keep open, -EBUSY while a live daemon holds it, or -errno. */
int vgw_daemon_lock(const char *ifname);

/* Whether a live vgw run holds ifname's lock. */
bool vgw_daemon_alive(const char *ifname);

/* The pid of the live vgw run holding ifname (1 if it published none yet), 0 if none. */
int vgw_daemon_holder(const char *ifname);

#endif
