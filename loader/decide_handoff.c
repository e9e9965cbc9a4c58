// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Handoff windows: when this router gains a vMAC from a live router, the
 * connections open through that router go on there for --handoff-ms (the
 * data plane sends their frames on); each window ends, and is logged, once.
 */
#include <arpa/inet.h>
#include <string.h>

#include "decide_common.h"

/* vMAC i was gained now from prev: if prev is live, its connections go on there for a while. */
static void window_open(struct vgw_decide *d, uint16_t i, uint32_t prev, uint64_t now,
			struct vgw_decisions *out)
{
	char to[INET_ADDRSTRLEN];

	if (!prev || prev == d->self_id || d->ho.no_tx ||
	    !handoff_open(&d->ho.windows[i], group_peer(&d->g, prev), d->conf.handoff_ms, now))
		return;
	d->ho.windows[i].sent_base = d->ho.sent[i];
	inet_ntop(AF_INET, &prev, to, sizeof(to));
	decide_say(d, out, VGW_LOG_INFO,
		   "vMAC %u: connections open through %s go on there for %u s", i, to,
		   d->conf.handoff_ms / 1000);
}

void handoff_windows_open(struct vgw_decide *d, const struct decide_gained *gained, uint64_t now,
			  struct vgw_decisions *out)
{
	unsigned int k;

	for (k = 0; k < gained->n; k++)
		window_open(d, gained->index[k], gained->from[k], now, out);
}

/* The windows that end now (logged once each), and the data plane's for the rest. */
void handoff_windows(struct vgw_decide *d, uint64_t now, struct vgw_decisions *out)
{
	uint16_t i;

	for (i = 1; i <= d->conf.n_vmacs; i++) {
		struct vgw_handoff_window *w = &d->ho.windows[i];
		enum vgw_handoff_end why;
		char to[INET_ADDRSTRLEN];

		if (!w->to)
			continue;
		why = handoff_check(w, &d->g, out->vmac_state[i], d->g.owner[i], !d->ho.no_tx,
				    d->conf.handoff_ms, now);
		if (why == VGW_HANDOFF_GOING) {
			struct vgw_handoff *h = &out->handoff[i];

			if (out->vmac_state[i] == VGW_VMAC_FOREIGN && !w->relaying) {
				inet_ntop(AF_INET, &w->to, to, sizeof(to));
				decide_say(d, out, VGW_LOG_INFO,
					   "vMAC %u moved on: connections its new owner hands "
					   "here go on to %s",
					   i, to);
				w->relaying = true;
			}

			memcpy(h->mac, w->mac, 6);
			memcpy(h->to_id, &w->to, 4);
			h->start_ms = w->start_ms;
			h->until_ms = w->until_ms;
			continue;
		}
		inet_ntop(AF_INET, &w->to, to, sizeof(to));
		decide_say(d, out, VGW_LOG_INFO,
			   "vMAC %u: handoff to %s ended (%s): %llu packets handed off", i, to,
			   handoff_end_str(why),
			   (unsigned long long)(d->ho.sent[i] - w->sent_base));
		memset(w, 0, sizeof(*w));
	}
}
