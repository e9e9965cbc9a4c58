// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "log.h"

static enum vgw_log_level log_level = VGW_LOG_INFO;

void vgw_log_set_level(enum vgw_log_level level)
{
	log_level = level;
}

void vgw_log(enum vgw_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
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
	return vfprintf(stderr, fmt, ap);
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
