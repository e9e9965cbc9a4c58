/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-vMAC rates from the data plane's counters, smoothed with an
 * exponential moving average over --smoothing-ms. Pure: counters and the
 * time in, rates out.
 */
#ifndef VGW_RATES_H
#define VGW_RATES_H

#include <stdbool.h>
#include <stdint.h>

#include "vgw_common.h"

struct vgw_rates {
	uint64_t last_ms; /* the previous poll; 0: none yet */
	struct vgw_vmac_counters last[VGW_VMAC_SLOTS];
	double pps[VGW_VMAC_SLOTS], bps[VGW_VMAC_SLOTS];
	bool measured[VGW_VMAC_SLOTS]; /* forwarded here since the previous poll */
};

/*
 * One poll at now: counters[i] as read, ours[i] whether this router forwards
 * vMAC i. rates[1..n_vmacs] is the group's view: the vMACs this router
 * forwards are overwritten with their smoothed rates; the others stay as
 * their owners report them. A vMAC that just arrived starts from its
 * previous owner's last report, so it does not look idle while the average
 * catches up.
 */
void rates_poll(struct vgw_rates *r, uint32_t smoothing_ms, uint16_t n_vmacs,
		const struct vgw_vmac_counters *counters, const bool *ours,
		struct vgw_vmac_rate *rates, uint64_t now);

#endif
