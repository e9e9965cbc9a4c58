// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>

#include "rates.h"

void rates_poll(struct vgw_rates *r, uint32_t smoothing_ms, uint16_t n_vmacs,
		const struct vgw_vmac_counters *counters, const bool *ours,
		struct vgw_vmac_rate *rates, uint64_t now)
{
	uint64_t dt = r->last_ms && now > r->last_ms ? now - r->last_ms : 0;
	double alpha = smoothing_ms ? 1.0 - exp(-(double)dt / smoothing_ms) : 1.0;
	uint16_t i;

	for (i = 1; i <= n_vmacs && i < VGW_VMAC_SLOTS; i++) {
		const struct vgw_vmac_counters *c = &counters[i];

		if (ours[i] && dt) {
			double pps = (double)(c->packets - r->last[i].packets) * 1000.0 / dt;
			double bps = (double)(c->bytes - r->last[i].bytes) * 1000.0 / dt;

			if (!r->measured[i]) {
				r->pps[i] = rates[i].pps;
				r->bps[i] = rates[i].bps;
				r->measured[i] = true;
			}
			r->pps[i] += alpha * (pps - r->pps[i]);
			r->bps[i] += alpha * (bps - r->bps[i]);
			rates[i] = (struct vgw_vmac_rate){ (uint64_t)(r->pps[i] + 0.5),
							   (uint64_t)(r->bps[i] + 0.5) };
		} else if (!ours[i]) {
			r->measured[i] = false;
		}
		r->last[i] = *c;
	}
	r->last_ms = now;
}
