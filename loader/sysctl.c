// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>

#include "sysctl.h"

static void conf_path(char *buf, size_t len, const char *ifname, const char *key)
{
	snprintf(buf, len, "/proc/sys/net/ipv4/conf/%s/%s", ifname, key);
}

int sysctl_read_path(const char *path, int *val)
{
	FILE *f = fopen(path, "r");
	int ret = 0;

	if (!f)
		return -errno;
	if (fscanf(f, "%d", val) != 1)
		ret = -EINVAL;
	fclose(f);
	return ret;
}

int sysctl_conf_read(const char *ifname, const char *key, int *val)
{
	char path[256];

	conf_path(path, sizeof(path), ifname, key);
	return sysctl_read_path(path, val);
}

int sysctl_conf_write(const char *ifname, const char *key, int val)
{
	char path[256];
	FILE *f;
	int ret = 0;

	conf_path(path, sizeof(path), ifname, key);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	if (fprintf(f, "%d\n", val) < 0)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}
