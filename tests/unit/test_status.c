// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

/* Router 212 of the patent's Table 2, measured locally: owns 0101..0105. */
static void table2_router212(struct vgw_status *st)
{
	static const unsigned int loads[5] = { 20, 13, 15, 15, 7 };
	unsigned int i;

	memset(st, 0, sizeof(*st));
	strcpy(st->iface, "lan0");
	st->cfg.vip[0] = 10, st->cfg.vip[3] = 100;
	st->cfg.router_id[0] = 10, st->cfg.router_id[3] = 254;
	st->cfg.group = 1;
	st->cfg.n_vmacs = 10;
	st->steer.avg = 1;
	st->n_vmacs = 10;
	for (i = 0; i < 10; i++) {
		struct vgw_status_vmac *v = &st->vmacs[i];

		v->index = i + 1;
		vgw_vmac_from_index(1, i + 1, v->entry.mac);
		if (i < 5) {
			v->entry.state = VGW_VMAC_OWNED;
			memcpy(v->entry.owner, st->cfg.router_id, 4);
			v->counters.packets = loads[i];
			v->counters.bytes = loads[i] * 1000ULL;
		} else {
			v->entry.state = VGW_VMAC_FOREIGN;
			v->counters.misdelivered_packets = i == 9;
		}
	}
}

Test(status, json_carries_the_public_fields)
{
	struct vgw_status st;
	struct json_object *j, *vmacs, *v, *field;

	table2_router212(&st);
	j = status_to_json(&st);
	cr_assert_str_eq(json_object_get_string(json_object_object_get(j, "iface")), "lan0");
	cr_assert_eq(json_object_get_int(json_object_object_get(j, "group")), 1);
	cr_assert_str_eq(json_object_get_string(json_object_object_get(j, "vip")), "10.0.0.100");
	cr_assert_str_eq(json_object_get_string(json_object_object_get(j, "router_id")),
			 "10.0.0.254");
	cr_assert_str_eq(json_object_get_string(json_object_object_get(j, "avg")), "10.0.0.254",
			 "vgw load --avg: this router is the AVG");
	cr_assert(!json_object_object_get_ex(j, "role", NULL), "no group fields without vgw run");
	vmacs = json_object_object_get(j, "vmacs");
	cr_assert_eq(json_object_array_length(vmacs), 10);

	v = json_object_array_get_idx(vmacs, 0);
	cr_assert_str_eq(json_object_get_string(json_object_object_get(v, "mac")),
			 "02:76:67:00:10:01");
	cr_assert_str_eq(json_object_get_string(json_object_object_get(v, "owner")), "10.0.0.254");
	cr_assert_eq(json_object_get_uint64(json_object_object_get(v, "packets")), 20);
	cr_assert_eq(json_object_get_uint64(json_object_object_get(v, "bytes")), 20000);
	/* 20 of router 212's 70 load units */
	cr_assert_float_eq(json_object_get_double(json_object_object_get(v, "share")),
			   100.0 * 20 / 70, 1e-9);

	v = json_object_array_get_idx(vmacs, 9);
	cr_assert_str_eq(json_object_get_string(json_object_object_get(v, "state")), "foreign");
	cr_assert(json_object_object_get_ex(v, "owner", &field));
	cr_assert_null(field, "an unknown owner is null");
	cr_assert_eq(json_object_get_uint64(json_object_object_get(v, "misdelivered_packets")), 1);
	json_object_put(j);
}

/* IPv6: the virtual addresses and the ND counters, by name; null and absent without. */
Test(status, json_and_text_carry_ipv6)
{
	/* in struct vgw_nd_counters' order */
	static const char *const names[] = {
		"probes_remembered",  "replies_probe",	 "replies_avg",	     "replies_plain",
		"replies_dropped",    "no_vmac",	 "replies_failsafe", "unsolicited_dropped",
		"malformed_dropped",  "ns_source_fixed", "ra_sllao_dropped", "ra_foreign_dropped",
		"ra_withdraw_dropped"
	};
	struct vgw_status st;
	struct json_object *j, *nd, *field;
	char *text = NULL;
	size_t len = 0, k;
	FILE *f;

	table2_router212(&st);
	j = status_to_json(&st);
	cr_assert(json_object_object_get_ex(j, "vip6", &field));
	cr_assert_null(field);
	cr_assert(!json_object_object_get_ex(j, "nd", NULL));
	json_object_put(j);

	st.cfg.vip6[0] = 0xfe, st.cfg.vip6[1] = 0x80, st.cfg.vip6[15] = 1;
	st.cfg.vip6_global[0] = 0x20, st.cfg.vip6_global[1] = 0x01, st.cfg.vip6_global[15] = 1;
	memset(st.cfg.vip, 0, 4); /* an IPv6-only LAN */
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		((__u64 *)&st.nd)[k] = 100 + k;
	j = status_to_json(&st);
	cr_assert_str_eq(json_object_get_string(json_object_object_get(j, "vip6")), "fe80::1");
	cr_assert_str_eq(json_object_get_string(json_object_object_get(j, "vip6_global")),
			 "2001::1");
	cr_assert(json_object_object_get_ex(j, "vip", &field));
	cr_assert_null(field, "no IPv4 vIP: null");
	nd = json_object_object_get(j, "nd");
	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		cr_expect_eq(json_object_get_uint64(json_object_object_get(nd, names[k])), 100 + k,
			     "%s", names[k]);
	json_object_put(j);

	f = open_memstream(&text, &len);
	status_print_text(f, &st);
	fclose(f);
	cr_expect_not_null(strstr(text, "vgw on lan0: group 1, vIP -, vIP6 fe80::1 2001::1, router "
					"10.0.0.254 (AVG: answers ARP and ND)"),
			   "%s", text);
	cr_expect_not_null(strstr(text, "nd: 102 answered by AVG, 101 answered to probes, 103 NUD "
					"answers, 104 suppressed, 100 probes remembered\n"),
			   "%s", text);
	free(text);
}

Test(status, text_is_a_table_of_vmacs_with_shares)
{
	struct vgw_status st;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	table2_router212(&st);
	status_print_text(out, &st);
	fclose(out);
	cr_assert_not_null(strstr(buf, "vgw on lan0: group 1, vIP 10.0.0.100, router 10.0.0.254"));
	cr_assert_not_null(strstr(buf, "02:76:67:00:10:01     1  10.0.0.254      owned    "
				       "           20          20000   28.6%            0\n"),
			   "%s", buf);
	cr_assert_not_null(strstr(buf, "02:76:67:00:10:0a    10  -               foreign  "
				       "            0              0    0.0%            1\n"),
			   "%s", buf);
	cr_assert_not_null(strstr(buf, "total: 5 of 10 vMACs owned, 70 packets, 70000 bytes, "
				       "1 misdelivered\n"),
			   "%s", buf);
	free(buf);
}

Test(status, json_under_vgw_run_has_the_group)
{
	struct vgw_status st;
	struct json_object *j, *routers, *r, *v;

	table2_router212(&st);
	st.daemon.daemon = 1;
	st.daemon_alive = true;
	st.daemon.role = VGW_STATE_STANDBY;
	st.daemon.avg_id[0] = 10, st.daemon.avg_id[3] = 252;
	st.daemon.hello_ms = 100;
	st.daemon.hold_ms = 300;
	st.now_ms = 50000;
	st.n_routers = 2;
	memcpy(st.routers[0].id, st.cfg.router_id, 4);
	st.routers[0].priority = 100, st.routers[0].weight = 100, st.routers[0].live = 1;
	st.routers[0].state = VGW_STATE_STANDBY;
	st.routers[1].id[0] = 10, st.routers[1].id[3] = 252;
	st.routers[1].priority = 200, st.routers[1].weight = 50, st.routers[1].live = 1;
	st.routers[1].state = VGW_STATE_AVG;
	st.routers[1].heard_ms = 49930;
	st.rates[0].pps = 1234;
	st.rates[0].bps = 5678;
	st.hellos.sent = 40, st.hellos.received = 80, st.hellos.bad_auth = 3,
	st.hellos.replayed = 2;
	j = status_to_json(&st);
	cr_assert_str_eq(json_object_get_string(json_object_object_get(j, "role")), "standby");
	cr_assert_str_eq(json_object_get_string(json_object_object_get(j, "avg")), "10.0.0.252");
	routers = json_object_object_get(j, "routers");
	cr_assert_eq(json_object_array_length(routers), 2);
	r = json_object_array_get_idx(routers, 1);
	cr_assert_str_eq(json_object_get_string(json_object_object_get(r, "id")), "10.0.0.252");
	cr_assert_eq(json_object_get_int(json_object_object_get(r, "priority")), 200);
	cr_assert_eq(json_object_get_int(json_object_object_get(r, "weight")), 50);
	cr_assert_str_eq(json_object_get_string(json_object_object_get(r, "state")), "avg");
	cr_assert_eq(json_object_get_uint64(json_object_object_get(r, "last_hello_ms")), 70);
	cr_assert_float_eq(json_object_get_double(json_object_object_get(r, "share")), 0.0, 1e-9);
	cr_assert_float_eq(json_object_get_double(json_object_object_get(r, "target")), 50.0, 1e-9);
	r = json_object_array_get_idx(routers, 0);
	cr_assert_float_eq(json_object_get_double(json_object_object_get(r, "share")), 100.0, 1e-9);
	v = json_object_array_get_idx(json_object_object_get(j, "vmacs"), 0);
	cr_assert_eq(json_object_get_uint64(json_object_object_get(v, "pps")), 1234);
	cr_assert_eq(json_object_get_uint64(json_object_object_get(v, "bps")), 5678);
	cr_assert_float_eq(json_object_get_double(json_object_object_get(v, "share")), 100.0, 1e-9,
			   "under vgw run a vMAC's share is of the group's rate");
	v = json_object_object_get(j, "hellos");
	cr_assert_eq(json_object_get_uint64(json_object_object_get(v, "sent")), 40);
	cr_assert_eq(json_object_get_uint64(json_object_object_get(v, "bad_auth")), 3);
	cr_assert_eq(json_object_get_uint64(json_object_object_get(v, "replayed")), 2);
	cr_assert_eq(json_object_get_uint64(json_object_object_get(v, "too_many_peers")), 0);
	json_object_put(j);

	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	status_print_text(out, &st);
	fclose(out);
	cr_assert_not_null(
		strstr(buf, "group: role standby, AVG 10.0.0.252, hello 100 ms, hold 300 ms\n"),
		"%s", buf);
	cr_assert_not_null(strstr(buf,
				  "10.0.0.254           100    100 standby    yes             0  "
				  "100.0%   50.0%  (this router)\n"),
			   "%s", buf);
	cr_assert_not_null(strstr(buf,
				  "10.0.0.252           200     50 avg        yes            70    "
				  "0.0%   50.0%\n"),
			   "%s", buf);
	cr_assert_not_null(strstr(buf, "hellos: 40 sent, 80 accepted, 5 dropped\n"), "%s", buf);
	/* the vMAC rows under vgw run: the group share, as in the JSON, and the rates */
	cr_assert_not_null(strstr(buf,
				  "02:76:67:00:10:01     1  10.0.0.254      owned    "
				  "           20          20000  100.0%            0         1234"
				  "          5678\n"),
			   "%s", buf);
	free(buf);
}

Test(status, a_dead_daemon_is_shown_gone_with_its_age_not_its_stale_role)
{
	struct json_object *j, *d;
	struct vgw_status st;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	table2_router212(&st);
	st.daemon.daemon = 1;
	st.daemon.role = VGW_STATE_AVG;
	st.daemon.pid = 4242;
	st.daemon.hold_ms = 300;
	st.now_ns = 60000000000ULL;
	st.heartbeat.beat_ns = st.now_ns - 12345000000ULL;
	st.heartbeat.alive_until_ns = st.heartbeat.beat_ns + 300000000ULL;
	st.heartbeat.failed_safe = 1;
	out = open_memstream(&buf, &len);
	status_print_text(out, &st);
	fclose(out);
	cr_assert(strstr(buf, "daemon: gone (vgw run pid 4242, last heartbeat 12345 ms ago): the "
			      "data plane failed safe"),
		  "%s", buf);
	cr_assert_null(strstr(buf, "group: role"), "%s", buf);
	cr_assert_null(strstr(buf, "AVG: answers ARP"), "%s", buf);
	free(buf);

	j = status_to_json(&st);
	d = json_object_object_get(j, "daemon");
	cr_assert_eq(json_object_get_boolean(json_object_object_get(d, "alive")), 0);
	cr_assert_eq(json_object_get_int(json_object_object_get(d, "pid")), 4242);
	cr_assert_eq(json_object_get_uint64(json_object_object_get(d, "last_heartbeat_ms")), 12345);
	cr_assert_eq(json_object_get_boolean(json_object_object_get(d, "failed_safe")), 1);
	cr_assert_null(json_object_object_get(j, "role"));
	cr_assert(json_object_object_get_ex(j, "avg", &d) && d == NULL, "avg must be null");
	json_object_put(j);

	/* within the hold time the data plane still runs */
	st.heartbeat.beat_ns = st.now_ns - 100000000ULL;
	st.heartbeat.alive_until_ns = st.heartbeat.beat_ns + 300000000ULL;
	st.heartbeat.failed_safe = 0;
	j = status_to_json(&st);
	d = json_object_object_get(j, "daemon");
	cr_assert_eq(json_object_get_uint64(json_object_object_get(d, "last_heartbeat_ms")), 100);
	cr_assert_eq(json_object_get_boolean(json_object_object_get(d, "failed_safe")), 0);
	json_object_put(j);
}

/* --fast-path: its ports and counters, by name; null and absent without. */
Test(status, json_and_text_carry_the_fast_path)
{
	static const char *const reasons[] = { "not_ip",  "options",  "fragment",    "ttl",
					       "local",	  "no_neigh", "unreachable", "mtu",
					       "no_port", "other" };
	struct vgw_status st;
	struct json_object *j, *fp, *fb, *field;
	char *text = NULL;
	size_t len = 0, k;
	FILE *f;

	table2_router212(&st);
	j = status_to_json(&st);
	cr_assert(json_object_object_get_ex(j, "fast_path", &field));
	cr_assert_null(field, "no --fast-path: null");
	json_object_put(j);
	f = open_memstream(&text, &len);
	status_print_text(f, &st);
	fclose(f);
	cr_expect_null(strstr(text, "fast path"), "%s", text);
	free(text);

	st.cfg.flags = VGW_CFG_F_FAST_PATH;
	st.n_fast_ports = 1;
	st.fast_ports[0] = 1; /* lo: every network namespace has it */
	st.fast.forwarded_packets = 1000;
	st.fast.forwarded_bytes = 64000;
	for (k = 0; k < VGW_FAST_N_FALLBACKS; k++)
		VGW_FAST_FALLBACK(&st.fast, k) = k == VGW_FAST_NO_NEIGH ? 3 : k == VGW_FAST_TTL;
	j = status_to_json(&st);
	fp = json_object_object_get(j, "fast_path");
	cr_assert_not_null(fp);
	cr_expect_str_eq(json_object_get_string(
				 json_object_array_get_idx(json_object_object_get(fp, "ports"), 0)),
			 "lo");
	cr_expect_eq(json_object_get_uint64(json_object_object_get(fp, "forwarded_packets")), 1000);
	cr_expect_eq(json_object_get_uint64(json_object_object_get(fp, "forwarded_bytes")), 64000);
	fb = json_object_object_get(fp, "fallback");
	cr_assert_eq(json_object_object_length(fb), VGW_FAST_N_FALLBACKS);
	for (k = 0; k < VGW_FAST_N_FALLBACKS; k++) {
		cr_expect_str_eq(status_fast_reason(k), reasons[k]);
		cr_expect_eq(json_object_get_uint64(json_object_object_get(fb, reasons[k])),
			     VGW_FAST_FALLBACK(&st.fast, k), "%s", reasons[k]);
	}
	cr_expect_null(status_fast_reason(VGW_FAST_N_FALLBACKS));
	json_object_put(j);

	f = open_memstream(&text, &len);
	status_print_text(f, &st);
	fclose(f);
	cr_expect_not_null(strstr(text, "fast path: to lo; 1000 forwarded (64000 bytes); left to "
					"the kernel: 1 ttl, 3 no_neigh\n"),
			   "%s", text);
	free(text);

	st.n_fast_ports = 0;
	memset(&st.fast, 0, sizeof(st.fast));
	f = open_memstream(&text, &len);
	status_print_text(f, &st);
	fclose(f);
	cr_expect_not_null(strstr(text, "fast path: no egress port takes XDP frames; 0 forwarded "
					"(0 bytes); left to the kernel: none\n"),
			   "%s", text);
	free(text);
}
