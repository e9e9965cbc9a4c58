// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "lanview.h"

unsigned int lanview_update(struct vgw_lanview *lv, const uint8_t *state, uint16_t n_vmacs,
			    bool changed, uint32_t hello_ms, uint32_t hold_ms, uint64_t now,
			    uint16_t *announce)
{
	bool refresh = !lv->refresh_at || now >= lv->refresh_at;
	unsigned int n = 0;
	uint16_t i;

	if (refresh)
		lv->refresh_at = now + LANVIEW_REFRESH_MS;
	for (i = 1; i <= n_vmacs && i < VGW_VMAC_SLOTS; i++) {
		if (state[i] != VGW_VMAC_OWNED) {
			/* not ours: whoever owns it tells the LAN; if it comes back, we do */
			lv->told[i] = false;
			lv->again_at[i] = lv->late_at[i] = 0;
			continue;
		}
		if (changed)
			lv->told[i] = false;
		if (!lv->told[i]) {
			lv->told[i] = true;
			lv->again_at[i] = now + hello_ms;
			lv->late_at[i] = now + hello_ms + hold_ms;
			announce[n++] = i;
		} else if (lv->again_at[i] && now >= lv->again_at[i]) {
			lv->again_at[i] = 0;
			announce[n++] = i;
		} else if (lv->late_at[i] && now >= lv->late_at[i]) {
			lv->late_at[i] = 0;
			announce[n++] = i;
		} else if (refresh) {
			announce[n++] = i;
		}
	}
	return n;
}

uint64_t lanview_next(const struct vgw_lanview *lv, uint16_t n_vmacs)
{
	uint64_t next = lv->refresh_at;
	uint16_t i;

	for (i = 1; i <= n_vmacs && i < VGW_VMAC_SLOTS; i++) {
		if (lv->again_at[i] && (!next || lv->again_at[i] < next))
			next = lv->again_at[i];
		if (lv->late_at[i] && (!next || lv->late_at[i] < next))
			next = lv->late_at[i];
	}
	return next;
}
