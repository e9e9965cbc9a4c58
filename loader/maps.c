// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dirent.h>
#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "handoff.h"
#include "maps.h"

/* in the order of struct vgw_maps */
const char *const vgw_map_names[VGW_N_MAPS] = {
#define VGW_MAP_NAME(field, name, type) name,
	VGW_MAPS(VGW_MAP_NAME)
#undef VGW_MAP_NAME
};

/* each map's value size in this build, in the same order */
static const unsigned int vgw_map_value_sizes[VGW_N_MAPS] = {
#define VGW_MAP_SIZE(field, name, type) sizeof(type),
	VGW_MAPS(VGW_MAP_SIZE)
#undef VGW_MAP_SIZE
};

int vgw_bpffs_ensure(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mkdir("/sys/fs/bpf", 0700) && errno != EEXIST)
		return -errno;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700"))
		return -errno;
	return 0;
}

int vgw_pin_path(char *buf, size_t len, const char *ifname, const char *map)
{
	int n;

	if (map)
		n = snprintf(buf, len, "%s/%s/%s", VGW_PIN_ROOT, ifname, map);
	else
		n = snprintf(buf, len, "%s/%s", VGW_PIN_ROOT, ifname);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int open_pinned(const char *ifname, const char *map)
{
	char path[256];
	int fd;

	if (vgw_pin_path(path, sizeof(path), ifname, map))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

/* struct vgw_maps is VGW_N_MAPS ints in vgw_map_names order (VGW_MAPS) */
static int *map_fd(struct vgw_maps *m, size_t i)
{
	return (int *)m + i;
}

int vgw_maps_open(const char *ifname, struct vgw_maps *m)
{
	size_t i;

	for (i = 0; i < VGW_N_MAPS; i++) {
		int *fd = map_fd(m, i);

		*fd = open_pinned(ifname, vgw_map_names[i]);
		if (*fd < 0) {
			int err = *fd;

			vgw_maps_close(m);
			return err;
		}
	}
	return 0;
}

bool vgw_maps_layout_ok(const struct vgw_maps *m, char *why, size_t len)
{
	size_t i;

	for (i = 0; i < VGW_N_MAPS; i++) {
		struct bpf_map_info info = { 0 };
		__u32 info_len = sizeof(info);
		int fd = ((const int *)m)[i];

		if (bpf_obj_get_info_by_fd(fd, &info, &info_len)) {
			snprintf(why, len, "%s: %s", vgw_map_names[i], strerror(errno));
			return false;
		}
		if (info.value_size != vgw_map_value_sizes[i]) {
			snprintf(why, len, "%s: %u-byte values, this vgw's are %u",
				 vgw_map_names[i], info.value_size, vgw_map_value_sizes[i]);
			return false;
		}
	}
	return true;
}

void vgw_maps_close(struct vgw_maps *m)
{
	size_t i;

	for (i = 0; i < VGW_N_MAPS; i++) {
		int *fd = map_fd(m, i);

		if (*fd >= 0)
			close(*fd);
		*fd = -1;
	}
}

void vgw_pins_remove(const char *ifname)
{
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(vgw_map_names) / sizeof(vgw_map_names[0]); i++)
		if (!vgw_pin_path(path, sizeof(path), ifname, vgw_map_names[i]))
			unlink(path);
	if (!vgw_pin_path(path, sizeof(path), ifname, NULL))
		rmdir(path);
	rmdir(VGW_PIN_ROOT);
}

int vgw_other_instance(const char *ifname, char *other, size_t len)
{
	DIR *d = opendir(VGW_PIN_ROOT);
	struct dirent *de;
	int found = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, ifname))
			continue;
		snprintf(other, len, "%s", de->d_name);
		found = 1;
		break;
	}
	closedir(d);
	return found;
}

/* Entries of a hosts map (key_size bytes -> last answer's ktime) within window_ns. */
static uint64_t hosts_recent(int fd, size_t key_size, uint64_t now_ns, uint64_t window_ns)
{
	uint64_t n = 0, seen, key, next; /* keys of up to 8 bytes */
	int err;

	if (key_size > sizeof(key))
		return 0;
	key = next = 0;
	for (err = bpf_map_get_next_key(fd, NULL, &next); !err;
	     err = bpf_map_get_next_key(fd, &key, &next)) {
		key = next;
		if (!bpf_map_lookup_elem(fd, &key, &seen) && now_ns - seen < window_ns)
			n++;
	}
	return n;
}

uint64_t vgw_arp_hosts_recent(const struct vgw_maps *m, uint64_t now_ns, uint64_t window_ns)
{
	return hosts_recent(m->arp_hosts, sizeof(__u32), now_ns, window_ns);
}

uint64_t vgw_nd_hosts_recent(const struct vgw_maps *m, uint64_t now_ns, uint64_t window_ns)
{
	return hosts_recent(m->nd_hosts, sizeof(__u64), now_ns, window_ns);
}

_Static_assert(sizeof(struct vgw_maps) == VGW_N_MAPS * sizeof(int),
	       "struct vgw_maps is one fd per VGW_MAPS entry");

int vgw_map_get(int fd, __u32 key, void *value)
{
	return bpf_map_lookup_elem(fd, &key, value) ? -errno : 0;
}

int vgw_map_set(int fd, __u32 key, const void *value)
{
	return bpf_map_update_elem(fd, &key, value, BPF_ANY) ? -errno : 0;
}

int vgw_config_get(const struct vgw_maps *m, struct vgw_config *cfg)
{
	return vgw_map_get(m->config, 0, cfg);
}

int vgw_config_set(const struct vgw_maps *m, const struct vgw_config *cfg)
{
	return vgw_map_set(m->config, 0, cfg);
}

int vgw_undo_get(const struct vgw_maps *m, struct vgw_undo *u)
{
	return vgw_map_get(m->undo, 0, u);
}

int vgw_undo_set(const struct vgw_maps *m, const struct vgw_undo *u)
{
	return vgw_map_set(m->undo, 0, u);
}

int vgw_vmac_get(const struct vgw_maps *m, __u32 index, struct vgw_vmac_entry *e)
{
	return vgw_map_get(m->vmac_table, index, e);
}

int vgw_vmac_set(const struct vgw_maps *m, __u32 index, const struct vgw_vmac_entry *e)
{
	return vgw_map_set(m->vmac_table, index, e);
}

/* Reads key of a per-CPU map into a buffer of one value per possible CPU. */
static void *percpu_lookup(int fd, __u32 key, size_t value_size, int *ncpu)
{
	void *vals;

	*ncpu = libbpf_num_possible_cpus();
	if (*ncpu <= 0)
		return NULL;
	vals = calloc(*ncpu, value_size);
	if (vals && bpf_map_lookup_elem(fd, &key, vals)) {
		free(vals);
		vals = NULL;
	}
	return vals;
}

/* Counter structs are runs of __u64: sum a per-CPU value field by field. */
static int percpu_sum_u64(int fd, __u32 key, void *sum, size_t size)
{
	size_t n = size / sizeof(__u64), f;
	__u64 *out = sum, *v;
	int ncpu, cpu;

	v = percpu_lookup(fd, key, size, &ncpu);
	if (!v)
		return -EIO;
	memset(out, 0, size);
	for (cpu = 0; cpu < ncpu; cpu++)
		for (f = 0; f < n; f++)
			out[f] += v[cpu * n + f];
	free(v);
	return 0;
}

int vgw_vmac_counters_sum(const struct vgw_maps *m, __u32 index, struct vgw_vmac_counters *sum)
{
	return percpu_sum_u64(m->vmac_counters, index, sum, sizeof(*sum));
}

int vgw_arp_counters_sum(const struct vgw_maps *m, struct vgw_arp_counters *sum)
{
	return percpu_sum_u64(m->arp_counters, 0, sum, sizeof(*sum));
}

int vgw_nd_counters_sum(const struct vgw_maps *m, struct vgw_nd_counters *sum)
{
	return percpu_sum_u64(m->nd_counters, 0, sum, sizeof(*sum));
}

int vgw_fast_counters_sum(const struct vgw_maps *m, struct vgw_fast_counters *sum)
{
	return percpu_sum_u64(m->fast_counters, 0, sum, sizeof(*sum));
}

int vgw_handoff_counters_sum(const struct vgw_maps *m, __u32 index,
			     struct vgw_handoff_counters *sum)
{
	return percpu_sum_u64(m->handoff_counters, index, sum, sizeof(*sum));
}

uint64_t vgw_handoff_flows_count(const struct vgw_maps *m, uint64_t now_ns)
{
	struct vgw_flow key, next;
	struct vgw_flow_seen seen;
	uint64_t open = 0;
	unsigned int n = 0;
	void *prev = NULL;

	/* bounded: the LRU map holds at most VGW_HANDOFF_FLOWS_MAX */
	while (n++ < VGW_HANDOFF_FLOWS_MAX &&
	       !bpf_map_get_next_key(m->handoff_flows, prev, &next)) {
		if (!bpf_map_lookup_elem(m->handoff_flows, &next, &seen) &&
		    handoff_flow_open(&seen, now_ns))
			open++;
		key = next;
		prev = &key;
	}
	return open;
}
