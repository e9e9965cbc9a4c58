// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* /metrics: exact samples for a known snapshot (promtool checks the format in e2e). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "version.h"

/* Two routers, 10.0.0.2 (this one, AVG) and 10.0.0.3, two vMACs each. */
static void two_routers(struct vgw_status *st)
{
	static const __u8 r[2][4] = { { 10, 0, 0, 2 }, { 10, 0, 0, 3 } };
	unsigned int i;

	memset(st, 0, sizeof(*st));
	strcpy(st->iface, "lan0");
	st->cfg.vip[0] = 10, st->cfg.vip[3] = 1;
	memcpy(st->cfg.router_id, r[0], 4);
	st->cfg.group = 1;
	st->cfg.n_vmacs = 4;
	st->daemon.daemon = 1;
	st->daemon.role = VGW_STATE_AVG;
	st->daemon_alive = true;
	st->n_vmacs = 4;
	for (i = 0; i < 4; i++) {
		struct vgw_status_vmac *v = &st->vmacs[i];

		v->index = i + 1;
		vgw_vmac_from_index(1, i + 1, v->entry.mac);
		v->entry.state = i < 2 ? VGW_VMAC_OWNED : VGW_VMAC_FOREIGN;
		memcpy(v->entry.owner, r[i >= 2], 4);
		v->counters.packets = i < 2 ? 100 * (i + 1) : 0;
		v->counters.bytes = v->counters.packets * 60;
		v->counters.misdelivered_packets = i == 3 ? 7 : 0;
		st->rates[i].bps = 1000 * (i + 1); /* shares: 3000 of 10000 here */
		st->rates[i].pps = 10 * (i + 1);
	}
	st->n_routers = 2;
	for (i = 0; i < 2; i++) {
		memcpy(st->routers[i].id, r[i], 4);
		st->routers[i].priority = 150 - 50 * i;
		st->routers[i].weight = 100;
		st->routers[i].live = 1;
	}
	st->now_ms = 50000;
	st->routers[1].heard_ms = 49750;
	st->now_ns = 50000 * 1000000ULL;
	st->heartbeat.beat_ns = st->now_ns - 20 * 1000000ULL;
	st->hellos.sent = 42;
	st->hellos.received = 40;
	st->hellos.replayed = 2;
	st->arp.replies_avg = 5;
	st->arp.replies_probe = 3;
	st->arp.replies_failsafe = 1;
}

static char *format(const struct vgw_status *st, const struct vgw_run_counters *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	metrics_format(f, st, c);
	fclose(f);
	return text;
}

#define L "{iface=\"lan0\",group=\"1\""

Test(metrics, samples_of_a_known_snapshot)
{
	static struct vgw_status st;
	struct vgw_run_counters c = { .balance_rounds = 2, .balance_moves = 3, .notify.runs = 4 };
	static const char *const want[] = {
		"vgw_info" L ",vip=\"10.0.0.1\",router=\"10.0.0.2\",version=\"" VGW_VERSION
		"\"} 1\n",
		"vgw_role" L ",role=\"avg\"} 1\n",
		"vgw_role" L ",role=\"standby\"} 0\n",
		"# TYPE vgw_vmac_packets_total counter\n",
		"vgw_vmac_packets_total" L
		",vmac=\"02:76:67:00:10:02\",index=\"2\",owner=\"10.0.0.2\"} 200\n",
		"vgw_vmac_bytes_total" L
		",vmac=\"02:76:67:00:10:01\",index=\"1\",owner=\"10.0.0.2\"} 6000\n",
		"vgw_vmac_misdelivered_packets_total" L
		",vmac=\"02:76:67:00:10:04\",index=\"4\",owner=\"10.0.0.3\"} 7\n",
		"vgw_vmac_forwarded_here" L
		",vmac=\"02:76:67:00:10:03\",index=\"3\",owner=\"10.0.0.3\"} 0\n",
		"vgw_vmac_rate_bytes_per_second" L
		",vmac=\"02:76:67:00:10:04\",index=\"4\",owner=\"10.0.0.3\"} 4000\n",
		"vgw_routers" L "} 2\n",
		"vgw_router_share_ratio" L ",router=\"10.0.0.2\",self=\"1\"} 0.3\n",
		"vgw_router_share_ratio" L ",router=\"10.0.0.3\",self=\"0\"} 0.7\n",
		"vgw_router_target_ratio" L ",router=\"10.0.0.3\",self=\"0\"} 0.5\n",
		"vgw_router_priority" L ",router=\"10.0.0.3\",self=\"0\"} 100\n",
		"vgw_router_last_hello_age_seconds" L ",router=\"10.0.0.3\",self=\"0\"} 0.25\n",
		"vgw_hellos_sent_total" L "} 42\n",
		"vgw_hellos_received_total" L "} 40\n",
		"vgw_hellos_dropped_total" L ",reason=\"replayed\"} 2\n",
		"vgw_hellos_dropped_total" L ",reason=\"bad_auth\"} 0\n",
		"vgw_balance_rounds_total" L "} 2\n",
		"vgw_balance_moves_total" L "} 3\n",
		"vgw_arp_replies_total" L ",method=\"avg\"} 5\n",
		"vgw_arp_replies_total" L ",method=\"probe\"} 3\n",
		"vgw_arp_replies_suppressed_total" L ",reason=\"failed_safe\"} 1\n",
		"vgw_daemon_heartbeat_age_seconds" L "} 0.02\n",
		"vgw_daemon_failed_safe" L "} 0\n",
		"vgw_notify_runs_total" L "} 4\n",
	};
	char *text;
	size_t k;

	two_routers(&st);
	text = format(&st, &c);
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		cr_expect_not_null(strstr(text, want[k]), "missing: %s", want[k]);
	cr_expect_null(strstr(text, "vgw_hellos_dropped_total" L ",reason=\"sent\""));
	free(text);
}

/* The ND families appear with --vip6 only. */
Test(metrics, nd_families_with_vip6_only)
{
	static struct vgw_status st;
	struct vgw_run_counters c = { 0 };
	char *text;

	two_routers(&st);
	text = format(&st, &c);
	cr_expect_null(strstr(text, "vgw_nd_"), "no ND families without --vip6");
	free(text);
	st.cfg.vip6[0] = 0xfe, st.cfg.vip6[1] = 0x80, st.cfg.vip6[15] = 1;
	st.nd.replies_avg = 9;
	st.nd.replies_plain = 4;
	st.nd.ra_withdraw_dropped = 1;
	text = format(&st, &c);
	cr_expect_not_null(strstr(text, "vgw_nd_replies_total" L ",method=\"avg\"} 9\n"));
	cr_expect_not_null(strstr(text, "vgw_nd_replies_total" L ",method=\"nud\"} 4\n"));
	cr_expect_not_null(
		strstr(text, "vgw_nd_router_adverts_dropped_total" L ",reason=\"withdraw\"} 1\n"));
	cr_expect_not_null(strstr(text, "vgw_nd_probes_remembered_total" L "} 0\n"));
	free(text);
}

/* The fast path's families appear with --fast-path only. */
Test(metrics, fast_path_families_with_fast_path_only)
{
	static struct vgw_status st;
	struct vgw_run_counters c = { 0 };
	char *text;

	two_routers(&st);
	text = format(&st, &c);
	cr_expect_null(strstr(text, "vgw_fast_path_"), "none without --fast-path");
	free(text);
	st.cfg.flags = VGW_CFG_F_FAST_PATH;
	st.fast.forwarded_packets = 7;
	st.fast.forwarded_bytes = 700;
	st.fast.fallback_no_neigh = 2;
	st.n_fast_ports = 1;
	text = format(&st, &c);
	cr_expect_not_null(strstr(text, "vgw_fast_path_forwarded_packets_total" L "} 7\n"));
	cr_expect_not_null(strstr(text, "vgw_fast_path_forwarded_bytes_total" L "} 700\n"));
	cr_expect_not_null(
		strstr(text, "vgw_fast_path_fallbacks_total" L ",reason=\"no_neigh\"} 2\n"));
	cr_expect_not_null(strstr(text, "vgw_fast_path_fallbacks_total" L ",reason=\"mtu\"} 0\n"));
	cr_expect_not_null(strstr(text, "vgw_fast_path_ports" L "} 1\n"));
	cr_expect_not_null(strstr(text, "# TYPE vgw_fast_path_fallbacks_total counter\n"));
	free(text);
}

Test(metrics, label_values_are_escaped)
{
	static struct vgw_status st;
	struct vgw_run_counters c = { 0 };
	char *text;

	two_routers(&st);
	strcpy(st.iface, "a\"b\\c");
	text = format(&st, &c);
	cr_expect_not_null(strstr(text, "vgw_routers{iface=\"a\\\"b\\\\c\",group=\"1\"} 2\n"));
	free(text);
}
