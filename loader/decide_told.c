// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Faults an operator must hear of, told once: hellos dropped per source and
 * reason, peers whose settings differ (once per change), the ND frames the
 * data plane drops because of this router's own set-up. What was told lives
 * in struct vgw_decide_told; the counters go on counting every time.
 */
#include <arpa/inet.h>
#include <stdio.h>

#include "decide_common.h"

/* Faults a source's hellos can have that an operator must hear of, once per source. */
static const char *drop_story(int reason)
{
	switch (reason) {
	case VGW_HELLO_BAD_AUTH:
		return "fail authentication: wrong key?";
	case VGW_HELLO_NO_AUTH:
		return "are not signed, and this router has a key";
	case VGW_HELLO_UNEXPECTED_AUTH:
		return "are signed, and this router has no key";
	case VGW_HELLO_WRONG_GROUP:
		return "are for another group";
	case VGW_DROP_TOO_MANY_PEERS:
		return "are refused: the group has 16 routers already";
	default:
		return NULL;
	}
}

void told_drop(struct vgw_decide *d, const struct vgw_snap_msg *m, int reason,
	       struct vgw_decisions *out)
{
	const char *story = drop_story(reason);
	char addr[INET6_ADDRSTRLEN];
	uint32_t from = m->from;
	unsigned int i;

	if (!story)
		return;
	for (i = 0; i < d->told.n_src && i < DECIDE_SOURCES; i++)
		if (d->told.src[i].from == from && d->told.src[i].reason == reason)
			return;
	if (d->told.n_src == DECIDE_SOURCES) {
		decide_say(d, out, VGW_LOG_WARN,
			   "hellos from more than %d sources were dropped; only counted "
			   "from now on (vgw status)",
			   DECIDE_SOURCES);
		d->told.n_src++;
	}
	if (d->told.n_src > DECIDE_SOURCES)
		return;
	d->told.src[d->told.n_src].from = from;
	d->told.src[d->told.n_src++].reason = reason;
	if (m->from_v6)
		inet_ntop(AF_INET6, m->from6, addr, sizeof(addr));
	else
		inet_ntop(AF_INET, &from, addr, sizeof(addr));
	decide_say(d, out, VGW_LOG_WARN, "hellos from %s %s", addr, story);
}

/*
 * ND frames the data plane had to drop because of the router's own set-up,
 * not the hosts': logged once, at the first (counted ever after in vgw
 * status). Unfixed, they leave hosts with no default router.
 */
void told_nd_faults(struct vgw_decide *d, const struct vgw_snapshot *s, struct vgw_decisions *out)
{
	static const char *const story[] = {
		"RAs from the virtual link-local with a Source Link-Layer Address option were "
		"dropped: set AdvSourceLLAddress off in radvd.conf",
		"RAs offering a default router other than the virtual link-local were dropped: set "
		"AdvRASrcAddress to the --vip6 address in radvd.conf (docs/ipv6.md)",
		"NAs for a virtual address were dropped as malformed",
	};
	const uint64_t now[] = { s->nd.ra_sllao_dropped, s->nd.ra_foreign_dropped,
				 s->nd.malformed_dropped };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (!d->told.nd_based)
			d->told.nd_base[i] =
				now[i]; /* an adopted data plane's are not ours to tell */
		else if (now[i] > d->told.nd_base[i] && !d->told.nd_logged[i]) {
			decide_say(d, out, VGW_LOG_WARN, "warning: %s", story[i]);
			d->told.nd_logged[i] = true;
		}
	}
	d->told.nd_based = true;
}

/* One line per peer whose settings differ from ours, once per change. */
void told_mismatches(struct vgw_decide *d, struct vgw_decisions *out)
{
	const struct vgw_group *g = &d->g;
	unsigned int i, k;

	for (i = 0; i < g->n_peers && i < VGW_MAX_ROUTERS; i++) {
		const struct vgw_peer *p = &g->peers[i];
		uint8_t m = group_mismatch(g, p);
		char id[INET_ADDRSTRLEN], mine[INET_ADDRSTRLEN], theirs[INET_ADDRSTRLEN];
		char what[256] = "";
		size_t off = 0;

		for (k = 0; k < VGW_MAX_ROUTERS && d->told.mismatch[k].id != p->id; k++)
			;
		if (k == VGW_MAX_ROUTERS) {
			for (k = 0; k < VGW_MAX_ROUTERS && d->told.mismatch[k].id; k++)
				;
			if (k == VGW_MAX_ROUTERS)
				k = i; /* all taken by routers gone since: reuse */
			d->told.mismatch[k].id = p->id;
			d->told.mismatch[k].mismatch = 0;
		}
		if (d->told.mismatch[k].mismatch == m)
			continue;
		d->told.mismatch[k].mismatch = m;
		inet_ntop(AF_INET, &p->id, id, sizeof(id));
		if (!m) {
			decide_say(d, out, VGW_LOG_INFO, "router %s now has this router's settings",
				   id);
			continue;
		}
		inet_ntop(AF_INET, &p->vip, theirs, sizeof(theirs));
		inet_ntop(AF_INET, &g->cfg.vip, mine, sizeof(mine));
		if ((m & VGW_MISMATCH_VIP) && p->vip != g->cfg.vip)
			off += snprintf(what + off, sizeof(what) - off, ", vip %s (here %s)",
					theirs, mine);
		if ((m & VGW_MISMATCH_VIP) && p->vip == g->cfg.vip) {
			char t6[INET6_ADDRSTRLEN], m6[INET6_ADDRSTRLEN];

			inet_ntop(AF_INET6, p->vip6, t6, sizeof(t6));
			inet_ntop(AF_INET6, g->cfg.vip6, m6, sizeof(m6));
			off += snprintf(what + off, sizeof(what) - off,
					", vip6 %s (here %s) or its global address", t6, m6);
		}
		if (m & VGW_MISMATCH_VMACS)
			off += snprintf(what + off, sizeof(what) - off, ", vmacs %u (here %u)",
					p->n_vmacs, g->cfg.n_vmacs);
		if (m & VGW_MISMATCH_HELLO)
			off += snprintf(what + off, sizeof(what) - off, ", hello-ms %u (here %u)",
					p->hello_ms, g->cfg.hello_ms);
		if (m & VGW_MISMATCH_HOLD)
			snprintf(what + off, sizeof(what) - off, ", hold-ms %u (here %u)",
				 p->hold_ms, g->cfg.hold_ms);
		decide_event(d, out,
			     (struct vgw_event){
				     .kind = VGW_EVENT_MISMATCH, .router = p->id, .mismatch = m });
		decide_say(d, out, VGW_LOG_WARN, "router %s has other settings: %s%s", id, what + 2,
			   m & (VGW_MISMATCH_VIP | VGW_MISMATCH_VMACS)
				   ? "; it is not part of this group"
				   : "");
	}
	if (g->outvoted != d->told.outvoted)
		decide_say(
			d, out, VGW_LOG_WARN,
			g->outvoted
				? "error: the group runs with another vip or vmacs than "
				  "this router: it forwards nothing and answers no ARP until they "
				  "agree"
				: "this router's settings are the group's again");
	d->told.outvoted = g->outvoted;
}
