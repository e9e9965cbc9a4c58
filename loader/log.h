/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_LOG_H
#define VGW_LOG_H

enum vgw_log_level {
	VGW_LOG_WARN = 0,
	VGW_LOG_INFO = 1,
	VGW_LOG_DEBUG = 2,
};

#include <stdbool.h>
#include <sys/types.h>

void vgw_log_set_level(enum vgw_log_level level);

/*
 * Under systemd, stderr is the journal: each line then starts with its
 * syslog priority ("<3>" error, "<4>" warning, "<6>" info, "<7>" debug), so
 * `journalctl -p warning` shows warnings and errors only. The priority of a
 * line comes from its words ("error:", "warning:") before its level.
 */
int log_priority(enum vgw_log_level level, const char *line);
/* Whether $JOURNAL_STREAM ("dev:inode") names the file stderr is (dev, ino). */
bool log_journal_stream(const char *env, dev_t dev, ino_t ino);
/* Route libbpf's and libxdp's own messages through our level: debug only. */
void vgw_log_hook_libs(void);
void vgw_log(enum vgw_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define pr_warn(...)  vgw_log(VGW_LOG_WARN, __VA_ARGS__)
#define pr_info(...)  vgw_log(VGW_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) vgw_log(VGW_LOG_DEBUG, __VA_ARGS__)

#endif
