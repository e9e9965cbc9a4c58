/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* CLOCK_MONOTONIC, the clock of every timer vgw run keeps (and of bpf_ktime_get_ns). */
#ifndef VGW_CLOCK_H
#define VGW_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t vgw_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline uint64_t vgw_mono_ms(void)
{
	return vgw_mono_ns() / 1000000;
}

#endif
