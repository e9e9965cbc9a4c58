// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "lock.h"
#include "maps.h"

int vgw_daemon_lock(const char *ifname)
{
	char path[256];
	int fd, err;

	err = vgw_pin_path(path, sizeof(path), ifname, "daemon_status");
	if (err)
		return err;
	/* bpffs opens a pinned map with BTF as a file (its seq_file dump): enough to lock */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return err;
	}
	return fd;
}

bool vgw_daemon_alive(const char *ifname)
{
	int fd = vgw_daemon_lock(ifname);

	if (fd >= 0)
		close(fd);
	return fd == -EBUSY;
}

int vgw_daemon_holder(const char *ifname)
{
	struct vgw_maps m = VGW_MAPS_INIT;
	struct vgw_daemon_status st = { 0 };

	if (!vgw_daemon_alive(ifname))
		return 0;
	if (!vgw_maps_open(ifname, &m)) {
		vgw_map_get(m.daemon_status, 0, &st);
		vgw_maps_close(&m);
	}
	return st.pid ? (int)st.pid : 1;
}
