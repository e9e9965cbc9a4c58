/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * vgw run --metrics ADDR:PORT: /metrics in the Prometheus text format.
 * libmicrohttpd serves it from its own thread; each scrape reads the
 * interface's pinned maps (as vgw status does) plus the few counters only
 * the daemon keeps, handed over under a mutex. The hello loop never waits
 * on a scraper: it only copies those counters in, once per pass.
 */
#ifndef VGW_METRICS_H
#define VGW_METRICS_H

#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>

#include "decide.h"
#include "status.h"

/* The exposition text for one snapshot; pure. */
void metrics_format(FILE *out, const struct vgw_status *st, const struct vgw_run_counters *c);

struct vgw_metrics;

/* Listen on addr:port (network order addr, host order port); NULL after one error line in err. */
struct vgw_metrics *metrics_start(const char *iface, struct in_addr addr, unsigned int port,
				  char *err, size_t errlen);
void metrics_update(struct vgw_metrics *mx, const struct vgw_run_counters *c);
void metrics_stop(struct vgw_metrics *mx);

#endif
