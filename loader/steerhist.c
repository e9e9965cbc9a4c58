// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>

#include "steerhist.h"
#include "vgw_steer.h"

unsigned int steer_window(uint32_t poll_ms, uint32_t smoothing_ms)
{
	/* an answered host counts as provisional load until the smoothed rates have
	 * caught up with its traffic: three time constants */
	unsigned int w = (poll_ms ? 3 * smoothing_ms / poll_ms : 0) + 1;

	return w >= STEER_HIST ? STEER_HIST - 1 : w;
}

void steer_update(struct vgw_steer_hist *h, const struct steer_input *in,
		  struct vgw_steer_data *out)
{
	unsigned int window = steer_window(in->poll_ms, in->smoothing_ms);
	unsigned int slot = h->at % STEER_HIST, back, r;
	uint64_t total = 0;
	uint16_t v;

	memset(out, 0, sizeof(*out));
	/* the bases are the load and the answer count a window ago, not at the last poll */
	back = (h->at >= window ? h->at - window : 0) % STEER_HIST;
	for (v = 1; v <= in->n_vmacs && v < VGW_VMAC_SLOTS; v++) {
		h->answers[slot][v] = in->answers[v];
		h->loads[slot][v] = in->balance_on_packets ? in->rates[v].pps : in->rates[v].bps;
	}
	h->at++;
	for (r = 0; r < VGW_MAX_ROUTERS && r < in->n_members; r++)
		out->routers[r].weight = in->target_weighted ? in->member_weights[r] : 1;
	for (v = 1; v <= in->n_vmacs && v < VGW_VMAC_SLOTS; v++) {
		struct vgw_steer_vmac *sv = &out->vmacs[v];

		sv->router = VGW_MAX_ROUTERS;
		sv->load = in->balance_on_packets ? in->rates[v].pps : in->rates[v].bps;
		sv->answers_base = h->answers[back][v];
		sv->load_base = h->loads[back][v];
		for (r = 0; r < in->n_members && r < VGW_MAX_ROUTERS; r++)
			if (in->owner[v] && in->members[r] == in->owner[v])
				sv->router = r;
		total += sv->load;
	}
	/* with nothing measured yet, one unit per host still spreads a burst */
	out->host_load = total && in->hosts ? total / in->hosts : 1;
	if (!out->host_load)
		out->host_load = 1;
	for (r = 0; r < VGW_MAX_ROUTERS; r++)
		vgw_steer_sum_start(&out->sums[r], in->router_answers ? in->router_answers[r] : 0,
				    out->routers[r].weight);
	for (v = 1; v <= in->n_vmacs && v < VGW_VMAC_SLOTS; v++)
		vgw_steer_sum_add(out->sums, v, &out->vmacs[v], in->answers[v], out->host_load);
	vgw_steer_sums_total(out->sums,
			     in->router_answers ? in->router_answers[VGW_STEER_GROUP] : 0);
}
