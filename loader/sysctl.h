/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_SYSCTL_H
#define VGW_SYSCTL_H

/* net.ipv4.conf.<ifname>.<key>; ifname may be "all". Return 0 or -errno. */
int sysctl_conf_read(const char *ifname, const char *key, int *val);
int sysctl_conf_write(const char *ifname, const char *key, int val);
int sysctl_read_path(const char *path, int *val);

#endif
