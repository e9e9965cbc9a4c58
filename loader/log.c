// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "log.h"

static enum vgw_log_level log_level = VGW_LOG_INFO;

void vgw_log_set_level(enum vgw_log_level level)
{
	log_level = level;
}

int log_priority(enum vgw_log_level level, const char *line)
{
	if (strstr(line, "error:"))
		return 3;
	if (strstr(line, "warning:"))
		return 4;
	return level == VGW_LOG_WARN ? 4 : level == VGW_LOG_INFO ? 6 : 7;
}

bool log_journal_stream(const char *env, dev_t dev, ino_t ino)
{
	unsigned long long d, i;

	return env && sscanf(env, "%llu:%llu", &d, &i) == 2 && d == (unsigned long long)dev &&
	       i == (unsigned long long)ino;
}

/* Checked once: whether stderr is the journal (systemd sets JOURNAL_STREAM). */
static bool to_journal(void)
{
	static int journal = -1;
	struct stat st;

	if (journal < 0)
		journal = !fstat(STDERR_FILENO, &st) &&
			  log_journal_stream(getenv("JOURNAL_STREAM"), st.st_dev, st.st_ino);
	return journal;
}

static void log_line(enum vgw_log_level level, const char *fmt, va_list ap)
{
	char line[1024];

	if (!to_journal()) {
		vfprintf(stderr, fmt, ap);
		return;
	}
	vsnprintf(line, sizeof(line), fmt, ap);
	fprintf(stderr, "<%d>%s", log_priority(level, line), line);
}

void vgw_log(enum vgw_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	log_line(level, fmt, ap);
	va_end(ap);
}

/*
 * libbpf and libxdp narrate probes and fallbacks at warning level; an
 * operator wants one error line from vgw, so their words show with -v only.
 */
static int lib_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (log_level < VGW_LOG_DEBUG)
		return 0;
	log_line(VGW_LOG_DEBUG, fmt, ap);
	return 0;
}

static int xdp_lib_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	return lib_print((enum libbpf_print_level)level, fmt, ap);
}

void vgw_log_hook_libs(void)
{
	libbpf_set_print(lib_print);
	libxdp_set_print(xdp_lib_print);
}
