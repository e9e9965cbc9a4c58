// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "attach.h"
#include "balance.h"
#include "fastpath.h"
#include "handoff.h"
#include "group.h"
#include "lock.h"
#include "log.h"
#include "maps.h"
#include "dataplane.h"
#include "clock.h"
#include "counters.h"
#include "status.h"

static void mac_str(const __u8 mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

static void collect_group(const struct vgw_maps *m, struct vgw_status *st)
{
	__u32 i;

	st->now_ns = vgw_mono_ns();
	st->now_ms = st->now_ns / 1000000;
	vgw_map_get(m->hello_counters, 0, &st->hellos);
	for (i = 0; i < VGW_MAX_ROUTERS; i++) {
		struct vgw_router_info *r = &st->routers[st->n_routers];

		if (!vgw_map_get(m->group_routers, i, r) && !ip4_zero(r->id))
			st->n_routers++;
	}
}

int status_collect(const char *ifname, struct vgw_status *st)
{
	struct vgw_maps m = VGW_MAPS_INIT;
	__u32 i;
	int err;

	memset(st, 0, sizeof(*st));
	snprintf(st->iface, sizeof(st->iface), "%s", ifname);
	err = vgw_maps_open(ifname, &m);
	if (err)
		return err;
	err = vgw_config_get(&m, &st->cfg);
	if (!err)
		err = vgw_map_get(m.steer_params, 0, &st->steer);
	if (!err)
		err = vgw_undo_get(&m, &st->undo);
	if (!err)
		err = vgw_map_get(m.daemon_status, 0, &st->daemon);
	if (!err)
		err = vgw_arp_counters_sum(&m, &st->arp);
	if (!err)
		err = vgw_nd_counters_sum(&m, &st->nd);
	if (!err)
		err = vgw_fast_counters_sum(&m, &st->fast);
	if (!err)
		st->n_fast_ports = (unsigned int)fast_ports_in_map(m.fwd_ports, st->fast_ports,
								   VGW_FWD_PORTS_MAX);
	for (i = 1; !err && i <= st->cfg.n_vmacs && i <= VGW_MAX_VMACS; i++) {
		struct vgw_status_vmac *v = &st->vmacs[st->n_vmacs];

		v->index = i;
		err = vgw_vmac_get(&m, i, &v->entry);
		if (!err)
			err = vgw_vmac_counters_sum(&m, i, &v->counters);
		if (!err && (st->cfg.flags & VGW_CFG_F_HANDOFF)) {
			if (v->entry.flags & VGW_VMAC_F_HANDOFF)
				err = vgw_map_get(m.handoff_table, i, &v->handoff);
			if (!err)
				err = vgw_handoff_counters_sum(&m, i, &v->handoff_counters);
		}
		if (!err && v->entry.state != VGW_VMAC_UNUSED) {
			vgw_map_get(m.vmac_rates, i, &st->rates[st->n_vmacs]);
			st->n_vmacs++;
		}
	}
	if (!err)
		err = vgw_map_get(m.daemon_heartbeat, 0, &st->heartbeat);
	st->now_ns = vgw_mono_ns();
	st->now_ms = st->now_ns / 1000000;
	if (!err && (st->cfg.flags & VGW_CFG_F_HANDOFF))
		st->handoff_flows_open = vgw_handoff_flows_count(&m, st->now_ns);
	if (!err && st->daemon.daemon) {
		st->daemon_alive = vgw_daemon_alive(ifname); /* its pid is in st->daemon */
		collect_group(&m, st);
	}
	vgw_maps_close(&m);
	return err;
}

/*
 * vMAC i's share in percent. Under vgw run: of the whole group's rate (the
 * Table 2 view). Under vgw load: of the bytes this router accepted.
 */
static double vmac_share(const struct vgw_status *st, unsigned int i)
{
	uint64_t total = 0, mine = 0;
	unsigned int k;

	for (k = 0; k < st->n_vmacs; k++) {
		uint64_t x = !st->daemon.daemon		     ? st->vmacs[k].counters.bytes
			     : st->daemon.balance_on_packets ? st->rates[k].pps
							     : st->rates[k].bps;

		total += x;
		if (k == i)
			mine = x;
	}
	return total ? 100.0 * (double)mine / (double)total : 0.0;
}

/*
 * Under vgw run: each router's share and target (percent), as the balancer
 * sees them; routers that are silent or at weight 0 take no part.
 */
void status_group_shares(const struct vgw_status *st, double *share, double *target)
{
	double s[VGW_MAX_ROUTERS], t[VGW_MAX_ROUTERS];
	struct balance_input in = { 0 };
	int slot[VGW_MAX_ROUTERS];
	unsigned int r, v;

	for (r = 0; r < st->n_routers; r++) {
		share[r] = target[r] = 0;
		slot[r] = -1;
		if (!st->routers[r].live || !st->routers[r].weight)
			continue;
		slot[r] = (int)in.n_routers;
		memcpy(&in.routers[in.n_routers].id, st->routers[r].id, 4);
		in.routers[in.n_routers++].weight = st->routers[r].weight;
	}
	in.target = st->daemon.target_weighted ? BALANCE_WEIGHTED : BALANCE_EQUAL;
	for (v = 0; v < st->n_vmacs; v++) {
		struct balance_vmac *b = &in.vmacs[in.n_vmacs++];

		b->index = st->vmacs[v].index;
		memcpy(&b->owner, st->vmacs[v].entry.owner, 4);
		b->load = st->daemon.balance_on_packets ? st->rates[v].pps : st->rates[v].bps;
	}
	if (!in.n_routers)
		return;
	balance_shares(&in, s, t);
	for (r = 0; r < st->n_routers; r++)
		if (slot[r] >= 0) {
			share[r] = s[slot[r]];
			target[r] = t[slot[r]];
		}
}

/* ["vip", "vmacs", "hello_ms", "hold_ms"]: the settings a router differs in from this one */
static struct json_object *mismatch_json(__u8 m)
{
	static const char *const names[] = { "vip", "vmacs", "hello_ms", "hold_ms" };
	struct json_object *a = json_object_new_array();
	unsigned int b;

	for (b = 0; b < 4; b++)
		if (m & (1u << b))
			json_object_array_add(a, json_object_new_string(names[b]));
	return a;
}

static uint64_t hello_age(const struct vgw_status *st, const struct vgw_router_info *r)
{
	return r->heard_ms && st->now_ms > r->heard_ms ? st->now_ms - r->heard_ms : 0;
}

static void print_group_text(FILE *out, const struct vgw_status *st)
{
	double share[VGW_MAX_ROUTERS], target[VGW_MAX_ROUTERS];
	char id[16], avg[16];
	__u64 dropped = 0;
	unsigned int i;

	ip4_str(st->daemon.avg_id, avg, sizeof(avg));
	fprintf(out, "group: role %s, AVG %s, hello %u ms, hold %u ms\n",
		group_state_name(st->daemon.role), ip4_zero(st->daemon.avg_id) ? "none" : avg,
		st->daemon.hello_ms, st->daemon.hold_ms);
	status_group_shares(st, share, target);
	fprintf(out, "%-15s %8s %6s %-8s %5s %13s %7s %7s\n", "router", "priority", "weight",
		"state", "live", "last hello ms", "share", "target");
	for (i = 0; i < st->n_routers; i++) {
		const struct vgw_router_info *r = &st->routers[i];

		ip4_str(r->id, id, sizeof(id));
		fprintf(out, "%-15s %8u %6u %-8s %5s %13llu %6.1f%% %6.1f%%%s\n", id, r->priority,
			r->weight, group_state_name(r->state), r->live ? "yes" : "no",
			(unsigned long long)hello_age(st, r), share[i], target[i],
			i == 0 ? "  (this router)" : "");
		if (r->mismatch || (i == 0 && r->outvoted)) {
			struct json_object *m = mismatch_json(r->mismatch);

			fprintf(out, "  %s: %s\n", id,
				i == 0 ? "stands aside: the group runs with another vip or vmacs"
				       : json_object_to_json_string(m));
			json_object_put(m);
		}
	}
	for (i = 0; i < vgw_hello_counter_table.n; i++)
		if (!strcmp(vgw_hello_counter_table.rows[i].family, "vgw_hellos_dropped_total"))
			dropped += counter_value(&vgw_hello_counter_table.rows[i], &st->hellos);
	fputs("hellos: ", out);
	counters_print_words(out, &vgw_hello_counter_table, &st->hellos);
	fprintf(out, ", %llu dropped\n", (unsigned long long)dropped);
}

static bool daemon_gone(const struct vgw_status *st)
{
	return st->daemon.daemon && !st->daemon_alive;
}

uint64_t status_heartbeat_age_ms(const struct vgw_status *st)
{
	const struct vgw_heartbeat *hb = &st->heartbeat;

	return hb->beat_ns && st->now_ns > hb->beat_ns ? (st->now_ns - hb->beat_ns) / 1000000 : 0;
}

/* what the data plane does (vgw_beat's timer fired), not what the clock suggests */
static bool failed_safe(const struct vgw_status *st)
{
	return st->heartbeat.failed_safe;
}

/* A dead daemon's role and peers are history: say it is gone, and what the data plane does. */
static void print_gone_text(FILE *out, const struct vgw_status *st)
{
	fprintf(out, "daemon: gone (vgw run pid %u, last heartbeat %llu ms ago): %s\n",
		st->daemon.pid, (unsigned long long)status_heartbeat_age_ms(st),
		failed_safe(st) ? "the data plane failed safe: it forwards no vMAC and answers "
				  "no ARP; 'vgw run' takes it over, 'vgw unload' removes it"
				: "the data plane fails safe at the end of the hold time");
}

static const char *const fast_reasons[] = { "not_ip",  "options",  "fragment",	  "ttl",
					    "local",   "no_neigh", "unreachable", "mtu",
					    "no_port", "other" };
_Static_assert(sizeof(fast_reasons) / sizeof(fast_reasons[0]) == VGW_FAST_N_FALLBACKS,
	       "every fallback reason has a name");

const char *status_fast_reason(unsigned int reason)
{
	return reason < VGW_FAST_N_FALLBACKS ? fast_reasons[reason] : NULL;
}

/* "fast path: to up0; 10 forwarded (980 bytes); left to the kernel: 1 no_neigh" */
static void print_fast_text(FILE *out, const struct vgw_status *st)
{
	char name[IF_NAMESIZE];
	unsigned int i;
	bool any = false;

	fputs("fast path: ", out);
	if (!st->n_fast_ports)
		fputs("no egress port takes XDP frames", out);
	for (i = 0; i < st->n_fast_ports; i++)
		fprintf(out, "%s%s", i ? " " : "to ", fast_port_name(st->fast_ports[i], name));
	fprintf(out, "; %llu forwarded (%llu bytes); left to the kernel:",
		(unsigned long long)st->fast.forwarded_packets,
		(unsigned long long)st->fast.forwarded_bytes);
	for (i = 0; i < VGW_FAST_N_FALLBACKS; i++) {
		__u64 n = VGW_FAST_FALLBACK(&st->fast, i);

		if (n)
			fprintf(out, "%s %llu %s", any ? "," : "", (unsigned long long)n,
				fast_reasons[i]);
		any |= n != 0;
	}
	fputs(any ? "\n" : " none\n", out);
}

static struct json_object *fast_to_json(const struct vgw_status *st)
{
	struct json_object *o = json_object_new_object(), *ports = json_object_new_array(),
			   *fb = json_object_new_object();
	char name[IF_NAMESIZE];
	unsigned int i;

	for (i = 0; i < st->n_fast_ports; i++)
		json_object_array_add(
			ports, json_object_new_string(fast_port_name(st->fast_ports[i], name)));
	json_object_object_add(o, "ports", ports);
	json_object_object_add(o, "forwarded_packets",
			       json_object_new_uint64(st->fast.forwarded_packets));
	json_object_object_add(o, "forwarded_bytes",
			       json_object_new_uint64(st->fast.forwarded_bytes));
	for (i = 0; i < VGW_FAST_N_FALLBACKS; i++)
		json_object_object_add(fb, fast_reasons[i],
				       json_object_new_uint64(VGW_FAST_FALLBACK(&st->fast, i)));
	json_object_object_add(o, "fallback", fb);
	return o;
}

unsigned int status_handoff_totals(const struct vgw_status *st, struct vgw_handoff_counters *sum)
{
	unsigned int i, windows = 0;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < st->n_vmacs; i++) {
		const struct vgw_handoff_counters *c = &st->vmacs[i].handoff_counters;

		windows += st->vmacs[i].handoff.until_ms != 0;
		counters_add(&vgw_handoff_counter_table, sum, c);
	}
	return windows;
}

static uint64_t handoff_left_ms(const struct vgw_status *st, const struct vgw_handoff *h)
{
	return h->until_ms > st->now_ms ? h->until_ms - st->now_ms : 0;
}

/*
 * "handoff: vMAC 3 to 10.0.0.2 for 412 s more: 120 packets (9000 bytes) sent
 * there, 80 kept" per window, then "handoff: 3 packets (180 bytes) handed to
 * this router, 2 connections open".
 */
static void print_handoff_text(FILE *out, const struct vgw_status *st)
{
	struct vgw_handoff_counters sum;
	unsigned int i;
	char to[16];

	for (i = 0; i < st->n_vmacs; i++) {
		const struct vgw_status_vmac *v = &st->vmacs[i];

		if (!v->handoff.until_ms)
			continue;
		ip4_str(v->handoff.to_id, to, sizeof(to));
		fprintf(out,
			"handoff: vMAC %u to %s for %llu s more: %llu packets (%llu bytes) sent "
			"there, %llu kept\n",
			v->index, to, (unsigned long long)(handoff_left_ms(st, &v->handoff) / 1000),
			(unsigned long long)v->handoff_counters.sent_packets,
			(unsigned long long)v->handoff_counters.sent_bytes,
			(unsigned long long)v->handoff_counters.kept_packets);
	}
	status_handoff_totals(st, &sum);
	fprintf(out,
		"handoff: %llu packets (%llu bytes) handed to this router, %llu connections "
		"open\n",
		(unsigned long long)sum.received_packets, (unsigned long long)sum.received_bytes,
		(unsigned long long)st->handoff_flows_open);
}

static struct json_object *vmac_handoff_json(const struct vgw_status *st,
					     const struct vgw_status_vmac *v)
{
	struct json_object *o = json_object_new_object(), *w = NULL;
	const struct vgw_handoff_counters *c = &v->handoff_counters;
	char to[16];

	if (v->handoff.until_ms) {
		w = json_object_new_object();
		ip4_str(v->handoff.to_id, to, sizeof(to));
		json_object_object_add(w, "to", json_object_new_string(to));
		json_object_object_add(w, "remaining_ms",
				       json_object_new_uint64(handoff_left_ms(st, &v->handoff)));
	}
	json_object_object_add(o, "window", w);
	counters_to_json(o, &vgw_handoff_counter_table, c);
	return o;
}

static struct json_object *handoff_to_json(const struct vgw_status *st)
{
	struct json_object *o = json_object_new_object();
	struct vgw_handoff_counters sum;
	unsigned int windows = status_handoff_totals(st, &sum);

	json_object_object_add(o, "windows", json_object_new_int(windows));
	counters_to_json(o, &vgw_handoff_counter_table, &sum); /* the vMACs' totals */
	json_object_object_add(o, "flows_open", json_object_new_uint64(st->handoff_flows_open));
	return o;
}

/* ", vIP6 fe80::1 2001:db8::1", or "" without IPv6 */
static void vip6_str(const struct vgw_config *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	buf[0] = '\0';
	if (ip6_zero(c->vip6))
		return;
	inet_ntop(AF_INET6, c->vip6, a, sizeof(a));
	inet_ntop(AF_INET6, c->vip6_global, b, sizeof(b));
	snprintf(buf, len, ", vIP6 %s%s%s", a, ip6_zero(c->vip6_global) ? "" : " ",
		 ip6_zero(c->vip6_global) ? "" : b);
}

void status_print_text(FILE *out, const struct vgw_status *st)
{
	const struct vgw_config *c = &st->cfg;
	__u64 pkts = 0, bytes = 0, mis = 0;
	unsigned int i, owned = 0;
	char vip[16], rid[16], mac[18], owner[16], v6[100];

	ip4_str(c->vip, vip, sizeof(vip));
	ip4_str(c->router_id, rid, sizeof(rid));
	vip6_str(c, v6, sizeof(v6));
	fprintf(out, "vgw on %s: group %u, vIP %s%s, router %s%s, XDP %s\n", st->iface, c->group,
		ip4_zero(c->vip) ? "-" : vip, v6, rid,
		!st->steer.avg || daemon_gone(st) ? ""
		: v6[0]				  ? " (AVG: answers ARP and ND)"
						  : " (AVG: answers ARP)",
		vgw_xdp_mode_str((enum xdp_attach_mode)st->undo.xdp_mode));
	fprintf(out, "%-17s %5s  %-15s %-9s %12s %14s %7s %12s", "vMAC", "index", "owner", "state",
		"packets", "bytes", "share", "misdelivered");
	fputs(st->daemon.daemon ? "          pps           bps\n" : "\n", out);
	for (i = 0; i < st->n_vmacs; i++) {
		const struct vgw_status_vmac *v = &st->vmacs[i];

		mac_str(v->entry.mac, mac, sizeof(mac));
		if (ip4_zero(v->entry.owner))
			snprintf(owner, sizeof(owner), "-");
		else
			ip4_str(v->entry.owner, owner, sizeof(owner));
		fprintf(out, "%-17s %5u  %-15s %-9s %12llu %14llu %6.1f%% %12llu", mac, v->index,
			owner, group_vmac_state_name(v->entry.state),
			(unsigned long long)v->counters.packets,
			(unsigned long long)v->counters.bytes, vmac_share(st, i),
			(unsigned long long)v->counters.misdelivered_packets);
		if (st->daemon.daemon)
			fprintf(out, " %12llu %13llu", (unsigned long long)st->rates[i].pps,
				(unsigned long long)st->rates[i].bps);
		fputc('\n', out);
		owned += v->entry.state == VGW_VMAC_OWNED;
		pkts += v->counters.packets;
		bytes += v->counters.bytes;
		mis += v->counters.misdelivered_packets;
	}
	fprintf(out, "total: %u of %u vMACs owned, %llu packets, %llu bytes, %llu misdelivered\n",
		owned, st->n_vmacs, (unsigned long long)pkts, (unsigned long long)bytes,
		(unsigned long long)mis);
	if (daemon_gone(st))
		print_gone_text(out, st);
	else if (st->daemon.daemon)
		print_group_text(out, st);
	fputs("arp: ", out);
	counters_print_words(out, &vgw_arp_counter_table, &st->arp);
	fputc('\n', out);
	if (st->arp.replies_failsafe)
		fprintf(out, "arp: %llu suppressed while the daemon was gone\n",
			(unsigned long long)st->arp.replies_failsafe);
	if (c->flags & VGW_CFG_F_FAST_PATH)
		print_fast_text(out, st);
	if (c->flags & VGW_CFG_F_HANDOFF)
		print_handoff_text(out, st);
	if (ip6_zero(c->vip6))
		return;
	fputs("nd: ", out);
	counters_print_words(out, &vgw_nd_counter_table, &st->nd);
	fputc('\n', out);
	if (st->nd.ra_foreign_dropped || st->nd.ra_sllao_dropped)
		fprintf(out,
			"nd: %llu RAs dropped offering another default router, %llu with this "
			"router's MAC (see docs/ipv6.md)\n",
			(unsigned long long)st->nd.ra_foreign_dropped,
			(unsigned long long)st->nd.ra_sllao_dropped);
	if (st->nd.replies_failsafe)
		fprintf(out, "nd: %llu suppressed while the daemon was gone\n",
			(unsigned long long)st->nd.replies_failsafe);
}

static void json_add_u64(struct json_object *o, const char *key, __u64 v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

static struct json_object *vmac_to_json(const struct vgw_status *st, unsigned int i)
{
	const struct vgw_status_vmac *v = &st->vmacs[i];
	struct json_object *o = json_object_new_object();
	char mac[18], owner[16];

	mac_str(v->entry.mac, mac, sizeof(mac));
	json_object_object_add(o, "index", json_object_new_int(v->index));
	json_object_object_add(o, "mac", json_object_new_string(mac));
	if (ip4_zero(v->entry.owner)) {
		json_object_object_add(o, "owner", NULL);
	} else {
		ip4_str(v->entry.owner, owner, sizeof(owner));
		json_object_object_add(o, "owner", json_object_new_string(owner));
	}
	json_object_object_add(o, "state",
			       json_object_new_string(group_vmac_state_name(v->entry.state)));
	counters_to_json(o, &vgw_vmac_counter_table, &v->counters);
	if (st->daemon.daemon) {
		json_add_u64(o, "pps", st->rates[i].pps);
		json_add_u64(o, "bps", st->rates[i].bps);
	}
	json_object_object_add(o, "share", json_object_new_double(vmac_share(st, i)));
	/* null without connection handoff */
	json_object_object_add(o, "handoff",
			       st->cfg.flags & VGW_CFG_F_HANDOFF ? vmac_handoff_json(st, v) : NULL);
	return o;
}

static void group_to_json(const struct vgw_status *st, struct json_object *o)
{
	struct json_object *routers = json_object_new_array(), *h = json_object_new_object();
	double share[VGW_MAX_ROUTERS], target[VGW_MAX_ROUTERS];
	char id[16];
	unsigned int i;

	json_object_object_add(o, "role",
			       json_object_new_string(group_state_name(st->daemon.role)));
	json_object_object_add(o, "hello_ms", json_object_new_int(st->daemon.hello_ms));
	json_object_object_add(o, "hold_ms", json_object_new_int(st->daemon.hold_ms));
	status_group_shares(st, share, target);
	for (i = 0; i < st->n_routers; i++) {
		const struct vgw_router_info *r = &st->routers[i];
		struct json_object *j = json_object_new_object();

		ip4_str(r->id, id, sizeof(id));
		json_object_object_add(j, "id", json_object_new_string(id));
		json_object_object_add(j, "priority", json_object_new_int(r->priority));
		json_object_object_add(j, "weight", json_object_new_int(r->weight));
		json_object_object_add(j, "state",
				       json_object_new_string(group_state_name(r->state)));
		json_object_object_add(j, "live", json_object_new_boolean(r->live));
		json_add_u64(j, "last_hello_ms", hello_age(st, r));
		json_object_object_add(j, "self", json_object_new_boolean(i == 0));
		json_object_object_add(j, "share", json_object_new_double(share[i]));
		json_object_object_add(j, "target", json_object_new_double(target[i]));
		json_object_object_add(j, "mismatch", mismatch_json(r->mismatch));
		if (i == 0)
			json_object_object_add(j, "outvoted", json_object_new_boolean(r->outvoted));
		json_object_array_add(routers, j);
	}
	json_object_object_add(o, "routers", routers);
	counters_to_json(h, &vgw_hello_counter_table, &st->hellos);
	json_object_object_add(o, "hellos", h);
}

struct json_object *status_to_json(const struct vgw_status *st)
{
	struct json_object *o = json_object_new_object();
	struct json_object *vmacs = json_object_new_array();
	struct json_object *arp = json_object_new_object();
	char ip[16];
	unsigned int i;

	json_object_object_add(o, "iface", json_object_new_string(st->iface));
	json_object_object_add(o, "group", json_object_new_int(st->cfg.group));
	ip4_str(st->cfg.vip, ip, sizeof(ip));
	/* null on an IPv6-only LAN */
	json_object_object_add(o, "vip", ip4_zero(st->cfg.vip) ? NULL : json_object_new_string(ip));
	ip4_str(st->cfg.router_id, ip, sizeof(ip));
	json_object_object_add(o, "router_id", json_object_new_string(ip));
	/* the AVG's router id: ours when we answer ARP, the elected one under vgw run */
	if (daemon_gone(st)) {
		json_object_object_add(o, "avg", NULL); /* what it knew is history */
	} else if (st->daemon.daemon && !ip4_zero(st->daemon.avg_id)) {
		ip4_str(st->daemon.avg_id, ip, sizeof(ip));
		json_object_object_add(o, "avg", json_object_new_string(ip));
	} else if (!st->daemon.daemon && st->steer.avg) {
		ip4_str(st->cfg.router_id, ip, sizeof(ip));
		json_object_object_add(o, "avg", json_object_new_string(ip));
	} else {
		json_object_object_add(o, "avg", NULL);
	}
	if (st->daemon.daemon) {
		struct json_object *dj = json_object_new_object();

		json_object_object_add(dj, "alive", json_object_new_boolean(st->daemon_alive));
		json_object_object_add(dj, "pid", json_object_new_int(st->daemon.pid));
		json_add_u64(dj, "last_heartbeat_ms", status_heartbeat_age_ms(st));
		json_object_object_add(dj, "failed_safe", json_object_new_boolean(failed_safe(st)));
		json_object_object_add(o, "daemon", dj);
	}
	if (st->daemon.daemon && st->daemon_alive)
		group_to_json(st, o);
	json_object_object_add(
		o, "xdp_mode",
		json_object_new_string(vgw_xdp_mode_str((enum xdp_attach_mode)st->undo.xdp_mode)));
	for (i = 0; i < st->n_vmacs; i++)
		json_object_array_add(vmacs, vmac_to_json(st, i));
	json_object_object_add(o, "vmacs", vmacs);
	counters_to_json(arp, &vgw_arp_counter_table, &st->arp);
	json_object_object_add(o, "arp", arp);
	/* null without --fast-path */
	json_object_object_add(o, "fast_path",
			       st->cfg.flags & VGW_CFG_F_FAST_PATH ? fast_to_json(st) : NULL);
	json_object_object_add(o, "handoff",
			       st->cfg.flags & VGW_CFG_F_HANDOFF ? handoff_to_json(st) : NULL);
	json_object_object_add(o, "vip6", NULL);
	json_object_object_add(o, "vip6_global", NULL);
	if (!ip6_zero(st->cfg.vip6)) {
		struct json_object *nd = json_object_new_object();
		char a[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, st->cfg.vip6, a, sizeof(a));
		json_object_object_add(o, "vip6", json_object_new_string(a));
		if (!ip6_zero(st->cfg.vip6_global)) {
			inet_ntop(AF_INET6, st->cfg.vip6_global, a, sizeof(a));
			json_object_object_add(o, "vip6_global", json_object_new_string(a));
		}
		counters_to_json(nd, &vgw_nd_counter_table, &st->nd);
		json_object_object_add(o, "nd", nd);
	}
	return o;
}

int vgw_cmd_status(const struct vgw_cli *cli)
{
	struct vgw_status st;
	int err;

	err = vgw_precheck();
	if (err)
		return err;
	err = status_collect(cli->iface, &st);
	if (err == -ENOENT) {
		pr_warn("vgw: error: vgw is not loaded on %s\n", cli->iface);
		return 1;
	}
	if (err) {
		pr_warn("vgw: error: cannot read vgw's maps for %s: %s\n", cli->iface,
			strerror(-err));
		return 1;
	}
	if (cli->json) {
		struct json_object *j = status_to_json(&st);

		puts(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
		json_object_put(j);
	} else {
		status_print_text(stdout, &st);
	}
	return 0;
}
