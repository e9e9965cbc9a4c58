// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define ARGV(...)	     ((char *[]){ "vgw", __VA_ARGS__, NULL })
#define ARGC(...)	     ((int)(sizeof((char *[]){ "vgw", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(cli, err, ...) cli_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), cli, err, sizeof(err))

Test(cli, load_with_every_option)
{
	struct vgw_cli cli;
	char err[256] = "";
	struct in_addr vip;

	cr_assert_eq(PARSE(&cli, err, "load", "--iface", "lan0", "--group", "12", "--vip",
			   "10.0.0.100", "--vmacs", "8", "--own", "1,3,8", "--avg", "--mode",
			   "skb"),
		     0, "%s", err);
	inet_pton(AF_INET, "10.0.0.100", &vip);
	cr_assert_eq(cli.cmd, VGW_CMD_LOAD);
	cr_assert_str_eq(cli.iface, "lan0");
	cr_assert_eq(cli.group, 12);
	cr_assert_eq(cli.vip.s_addr, vip.s_addr);
	cr_assert_eq(cli.n_vmacs, 8);
	cr_assert(cli.own[1] && cli.own[3] && cli.own[8]);
	cr_assert(!cli.own[2] && !cli.own[4] && !cli.own[7]);
	cr_assert(cli.avg);
	cr_assert_eq(cli.xdp_mode, VGW_XDP_MODE_SKB);
	cr_assert(!cli.fast_path, "off unless asked");
}

Test(cli, fast_path_on_load_run_and_in_the_config)
{
	struct vgw_cli cli = { 0 };
	char err[256] = "";

	cr_assert_eq(PARSE(&cli, err, "load", "--iface", "lan0", "--group", "1", "--vip",
			   "10.0.0.1", "--vmacs", "2", "--own", "1", "--fast-path"),
		     0, "%s", err);
	cr_assert(cli.fast_path);
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--fast-path"),
		     0, "%s", err);
	cr_assert(cli.fast_path);
	memset(&cli, 0, sizeof(cli));
	cr_assert_eq(cli_parse_config("fast-path\n", &cli, err, sizeof(err)), 0, "%s", err);
	cr_assert(cli.fast_path);
	cr_assert_eq(cli_parse_config("fast-path yes\n", &cli, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "config line 1: fast-path takes no value");
	cr_assert_eq(PARSE(&cli, err, "status", "--iface", "lan0", "--fast-path"), -1);
	cr_assert_str_eq(err, "status: unknown option '--fast-path'");
}

Test(cli, equals_form_and_defaults)
{
	struct vgw_cli cli;
	char err[256] = "";

	cr_assert_eq(PARSE(&cli, err, "load", "--iface=eth1", "--group=0", "--vip=192.0.2.1",
			   "--vmacs=256", "--own=256"),
		     0, "%s", err);
	cr_assert_eq(cli.n_vmacs, 256);
	cr_assert(cli.own[256]);
	cr_assert(!cli.avg);
	cr_assert_eq(cli.xdp_mode, VGW_XDP_MODE_AUTO);
}

Test(cli, status_and_unload)
{
	struct vgw_cli cli;
	char err[256] = "";

	cr_assert_eq(PARSE(&cli, err, "status", "--iface", "lan0", "--json"), 0, "%s", err);
	cr_assert_eq(cli.cmd, VGW_CMD_STATUS);
	cr_assert(cli.json);
	cr_assert_eq(PARSE(&cli, err, "unload", "--iface", "lan0"), 0, "%s", err);
	cr_assert_eq(cli.cmd, VGW_CMD_UNLOAD);
}

struct bad_case {
	char *argv[16];
	const char *message;
};

/* Each bad command line and the exact one-line error it gets. */
static const struct bad_case bad_cases[] = {
	{ { "vgw", "run", "--iface", "lan0", "--metrics", "9767" },
	  "--metrics: '9767' is not ADDR:PORT (e.g. 127.0.0.1:9767)" },
	{ { "vgw", "run", "--iface", "lan0", "--metrics", "127.0.0.1:0" },
	  "--metrics: '127.0.0.1:0' is not ADDR:PORT (e.g. 127.0.0.1:9767)" },
	{ { "vgw", "run", "--iface", "lan0", "--metrics", "localhost:9767" },
	  "--metrics: 'localhost' is not an IPv4 address" },
	{ { "vgw", "run", "--iface", "lan0", "--notify-timeout-ms", "50" },
	  "--notify-timeout-ms: '50' is out of range (100..600000)" },
	{ { "vgw", "load", "--iface", "lan0", "--notify", "/bin/true" },
	  "load: unknown option '--notify'" },
	{ { "vgw" }, "no command given (try 'vgw help')" },
	{ { "vgw", "lode" }, "unknown command 'lode' (try 'vgw help')" },
	{ { "vgw", "status" }, "--iface is required" },
	{ { "vgw", "status", "--iface", "lan0", "--avg" }, "status: unknown option '--avg'" },
	{ { "vgw", "unload", "--iface", "lan0", "--json" }, "unload: unknown option '--json'" },
	{ { "vgw", "load", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1", "--vmacs", "4" },
	  "load: --own is required" },
	{ { "vgw", "load", "--iface", "lan0", "--group", "1", "--vmacs", "4", "--own", "1" },
	  "load: --vip or --vip6 is required" },
	{ { "vgw", "load", "--iface", "lan0", "--vip6", "2001:db8::1" },
	  "--vip6: '2001:db8::1' is not a link-local (fe80::/10) IPv6 address" },
	{ { "vgw", "load", "--iface", "lan0", "--vip6", "ff02::1" },
	  "--vip6: 'ff02::1' is not a link-local (fe80::/10) IPv6 address" },
	{ { "vgw", "load", "--iface", "lan0", "--vip6-global", "fe80::5" },
	  "--vip6-global: 'fe80::5' is not a global unicast IPv6 address" },
	{ { "vgw", "load", "--iface", "lan0", "--group", "1", "--vmacs", "4", "--own", "1",
	    "--vip6-global", "2001:db8::1" },
	  "--vip6-global needs --vip6: hosts find the gateway by its link-local address" },
	{ { "vgw", "run", "--iface", "lan0", "--router-id", "0.0.0.0" },
	  "--router-id: '0.0.0.0' is not a unicast IPv4 address" },
	{ { "vgw", "run", "--iface", "lan0", "--group", "1", "--vip6", "fe80::1", "--peer",
	    "10.0.0.2", "--peer", "fe80::2" },
	  "--peer and --mcast must be all IPv4 or all IPv6: hellos go over one" },
	{ { "vgw", "run", "--iface", "lan0", "--mcast", "ff05::1" },
	  "--mcast: 'ff05::1' is not an IPv4 or IPv6 link-local (ff02::) multicast address" },
	{ { "vgw", "load", "--iface", "lan0", "--group", "4096" },
	  "--group: '4096' is not a group number (0..4095)" },
	{ { "vgw", "load", "--iface", "lan0", "--group", "-1" },
	  "--group: '-1' is not a group number (0..4095)" },
	{ { "vgw", "load", "--iface", "lan0", "--vip", "10.0.0" },
	  "--vip: '10.0.0' is not a unicast IPv4 address" },
	{ { "vgw", "load", "--iface", "lan0", "--vip", "239.1.1.1" },
	  "--vip: '239.1.1.1' is not a unicast IPv4 address" },
	{ { "vgw", "load", "--iface", "lan0", "--vip", "127.0.0.1" },
	  "--vip: '127.0.0.1' is not a unicast IPv4 address" },
	{ { "vgw", "load", "--iface", "lan0", "--vmacs", "0" },
	  "--vmacs: '0' is out of range (1..256)" },
	{ { "vgw", "load", "--iface", "lan0", "--vmacs", "257" },
	  "--vmacs: '257' is out of range (1..256)" },
	{ { "vgw", "load", "--iface", "lan0", "--vmacs", "4x" },
	  "--vmacs: '4x' is out of range (1..256)" },
	{ { "vgw", "load", "--iface", "lan0", "--own", "1,1" },
	  "--own: vMAC index 1 listed twice" },
	{ { "vgw", "load", "--iface", "lan0", "--own", "1," }, "--own: bad vMAC index list '1,'" },
	{ { "vgw", "load", "--iface", "lan0", "--own", "1,,2" },
	  "--own: bad vMAC index list '1,,2'" },
	{ { "vgw", "load", "--iface", "lan0", "--own", "0" },
	  "--own: '0' is not a vMAC index (1..256)" },
	{ { "vgw", "load", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1", "--vmacs", "4",
	    "--own", "2,5" },
	  "--own: vMAC index 5 is beyond --vmacs 4" },
	{ { "vgw", "load", "--iface", "lan0", "--mode", "hw" },
	  "--mode: 'hw' is not native, skb or auto" },
	{ { "vgw", "load", "--iface" }, "--iface needs a value" },
	{ { "vgw", "load", "--iface", "an-interface-name-too-long" },
	  "--iface: 'an-interface-name-too-long' is not an interface name" },
	{ { "vgw", "status", "--iface", "a", "--iface", "b" }, "--iface given twice" },
};

Test(cli, bad_input_gets_one_exact_error)
{
	size_t k;

	for (k = 0; k < sizeof(bad_cases) / sizeof(bad_cases[0]); k++) {
		struct vgw_cli cli;
		char err[256] = "";
		int argc = 0;

		memset(&cli, 0x5a, sizeof(cli));
		while (bad_cases[k].argv[argc])
			argc++;
		cr_expect_eq(cli_parse(argc, (char **)bad_cases[k].argv, &cli, err, sizeof(err)),
			     -1, "case %zu accepted", k);
		cr_expect_str_eq(err, bad_cases[k].message, "case %zu", k);
		cr_expect_null(strchr(err, '\n'), "one line");
	}
}

Test(cli, run_defaults)
{
	struct vgw_cli cli;
	char err[256] = "";

	cr_assert_eq(
		PARSE(&cli, err, "run", "--iface", "lan0", "--group", "3", "--vip", "10.0.0.1"), 0,
		"%s", err);
	cr_assert_eq(cli.cmd, VGW_CMD_RUN);
	cr_assert_eq(cli.priority, 100);
	cr_assert_eq(cli.weight, 100);
	cr_assert_eq(cli.n_vmacs, 16);
	cr_assert_eq(cli.hello_ms, 1000);
	cr_assert_eq(cli.hold_ms, 3000);
	cr_assert_eq(cli.grace_ms, 3000);
	cr_assert_eq(cli.preempt_delay_ms, 3000);
	cr_assert(!cli.preempt);
	cr_assert_eq(cli.port, 7667);
	cr_assert_eq(ntohl(cli.mcast_addr.s_addr), 0xe0000076); /* 224.0.0.118 */
	cr_assert_eq(cli.n_peers, 0);
	/* every default of the option table parses to the value it names */
	cr_assert_eq(cli.track_decrement, 10);
	cr_assert_eq(cli.smoothing_ms, 3000);
	cr_assert_eq(cli.balance_hold_ms, 3000);
	cr_assert_eq(cli.move_cooldown_ms, 30000);
	cr_assert_eq(cli.notify_timeout_ms, 10000);
	cr_assert_eq(cli.handoff_ms, 600000);
	cr_assert_eq(cli.drain_ms, 60000);
	cr_assert_eq(cli.lb, VGW_LB_LEAST_LOADED);
}

/* SIGHUP's rule, from the table: restart-only options keep their running values, and are named. */
Test(cli, a_reload_keeps_the_restart_only_options_and_names_them)
{
	struct vgw_cli running, next;
	char err[256] = "", changed[128];
	struct in6_addr ff02_7667;

	cr_assert_eq(PARSE(&running, err, "run", "--iface", "lan0", "--group", "1", "--vip",
			   "10.0.0.1", "--metrics", "127.0.0.1:9767"),
		     0, "%s", err);
	next = running;
	cr_assert_eq(cli_keep_restart_only(&next, &running, changed, sizeof(changed)), 0);
	cr_assert_str_eq(changed, "");
	cr_assert_eq(PARSE(&next, err, "run", "--iface", "lan0", "--group", "1", "--vip",
			   "10.0.0.1", "--metrics", "127.0.0.1:9768", "--vmacs", "8", "--mcast",
			   "ff02::9", "--priority", "200", "--hello-ms", "500"),
		     0, "%s", err);
	cr_assert_eq(cli_keep_restart_only(&next, &running, changed, sizeof(changed)), 3);
	cr_assert_str_eq(changed, "vmacs, mcast, metrics");
	cr_assert_eq(next.n_vmacs, 16);
	cr_assert_eq(next.metrics_port, 9767);
	cr_assert(!next.mcast_v6);
	inet_pton(AF_INET6, VGW_DEFAULT_MCAST6, &ff02_7667);
	cr_assert_eq(memcmp(&next.mcast6, &ff02_7667, 16), 0);
	/* what SIGHUP changes live goes through */
	cr_assert_eq(next.priority, 200);
	cr_assert_eq(next.hello_ms, 500);
}

Test(cli, run_with_every_flag)
{
	struct vgw_cli cli;
	char err[256] = "";

	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "3", "--vip", "10.0.0.1",
			   "--priority", "250", "--weight", "50", "--preempt", "--preempt-delay-ms",
			   "20", "--vmacs", "256", "--hello-ms", "10", "--hold-ms", "30",
			   "--grace-ms", "40", "--key-file", "/etc/vgw.key", "--peer", "10.0.0.2",
			   "--peer", "10.0.0.3", "--track", "up0", "--track-decrement", "60",
			   "--weight-lower", "30", "--weight-upper", "45", "--mcast", "224.0.0.119",
			   "--port", "4000", "--mode", "skb"),
		     0, "%s", err);
	cr_assert_eq(cli.priority, 250);
	cr_assert_eq(cli.weight, 50);
	cr_assert(cli.preempt);
	cr_assert_eq(cli.preempt_delay_ms, 20);
	cr_assert_eq(cli.hello_ms, 10);
	cr_assert_eq(cli.hold_ms, 30);
	cr_assert_eq(cli.grace_ms, 40);
	cr_assert_str_eq(cli.key_file, "/etc/vgw.key");
	cr_assert_eq(cli.n_peers, 2);
	cr_assert_eq(ntohl(cli.peers[1].s_addr), 0x0a000003);
	cr_assert_eq(cli.n_tracks, 1);
	cr_assert_str_eq(cli.tracks[0], "up0");
	cr_assert_eq(cli.track_decrement, 60);
	cr_assert_eq(cli.weight_lower, 30);
	cr_assert_eq(cli.weight_upper, 45);
	cr_assert_eq(cli.port, 4000);
	cr_assert_eq(cli.xdp_mode, VGW_XDP_MODE_SKB);
}

Test(cli, run_from_a_config_file_with_flags_on_top)
{
	char path[] = "/tmp/vgw-cli-test-XXXXXX", err[256] = "";
	const char *text = "# router 1\n"
			   "iface lan0\n"
			   "group = 9\n"
			   "vip 10.0.0.1   # the gateway\n"
			   "priority 200\n"
			   "preempt\n"
			   "peer 10.0.0.2\n"
			   "\n"
			   "hello-ms 100\n"
			   "hold-ms 300\n";
	struct vgw_cli cli;
	int fd = mkstemp(path);

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cr_assert_eq(PARSE(&cli, err, "run", "-c", path, "--priority", "120"), 0, "%s", err);
	unlink(path);
	cr_assert_str_eq(cli.iface, "lan0");
	cr_assert_eq(cli.group, 9);
	cr_assert_eq(cli.priority, 120, "the flag wins over the file");
	cr_assert(cli.preempt);
	cr_assert_eq(cli.n_peers, 1);
	cr_assert_eq(cli.hello_ms, 100);
	cr_assert_eq(cli.hold_ms, 300);
	cr_assert_eq(cli.grace_ms, 300);
}

/* IPv6: hellos follow the addresses given, and go over IPv6 on an IPv6-only LAN. */
Test(cli, ipv6_addresses_and_hello_family)
{
	static const struct {
		char *argv[16];
		bool hello_v6;
		unsigned int n_peers, n_peers6;
		const char *mcast6;
	} cases[] = {
		{ { "vgw", "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1", "--vip6",
		    "fe80::1" },
		  false,
		  0,
		  0,
		  "ff02::7667" },
		{ { "vgw", "run", "--iface", "lan0", "--group", "1", "--vip6", "fe80::1",
		    "--router-id", "10.255.0.1" },
		  true,
		  0,
		  0,
		  "ff02::7667" },
		{ { "vgw", "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1", "--mcast",
		    "ff02::12" },
		  true,
		  0,
		  0,
		  "ff02::12" },
		{ { "vgw", "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1", "--peer",
		    "fe80::2", "--peer", "2001:db8::3" },
		  true,
		  0,
		  2,
		  "ff02::7667" },
		{ { "vgw", "run", "--iface", "lan0", "--group", "1", "--vip6", "fe80::1", "--peer",
		    "10.0.0.2" },
		  true,
		  1,
		  0,
		  "ff02::7667" },
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct vgw_cli cli;
		char err[256] = "", mc[INET6_ADDRSTRLEN];
		int argc = 0;

		while (cases[k].argv[argc])
			argc++;
		cr_assert_eq(cli_parse(argc, (char **)cases[k].argv, &cli, err, sizeof(err)), 0,
			     "case %zu: %s", k, err);
		cr_expect_eq(cli.hello_v6, cases[k].hello_v6, "case %zu", k);
		cr_expect_eq(cli.n_peers, cases[k].n_peers, "case %zu", k);
		cr_expect_eq(cli.n_peers6, cases[k].n_peers6, "case %zu", k);
		inet_ntop(AF_INET6, &cli.mcast6, mc, sizeof(mc));
		cr_expect_str_eq(mc, cases[k].mcast6, "case %zu", k);
	}
}

Test(cli, ipv6_load_takes_vip6_and_router_id)
{
	char *argv[] = { "vgw",		  "load",	 "--iface",	"lan0",
			 "--group",	  "7",		 "--vmacs",	"4",
			 "--own",	  "1,2",	 "--vip6",	"fe80::1",
			 "--vip6-global", "2001:db8::1", "--router-id", "192.0.2.9" };
	struct vgw_cli cli;
	char err[256] = "", a[INET6_ADDRSTRLEN];

	cr_assert_eq(cli_parse(sizeof(argv) / sizeof(argv[0]), argv, &cli, err, sizeof(err)), 0,
		     "%s", err);
	inet_ntop(AF_INET6, &cli.vip6, a, sizeof(a));
	cr_expect_str_eq(a, "fe80::1");
	inet_ntop(AF_INET6, &cli.vip6_global, a, sizeof(a));
	cr_expect_str_eq(a, "2001:db8::1");
	cr_expect_eq(cli.vip.s_addr, 0);
	cr_expect_eq(ntohl(cli.router_id.s_addr), 0xc0000209);
}

Test(cli, run_errors)
{
	static const struct bad_case cases[] = {
		{ { "vgw", "run", "--iface", "lan0", "--group", "1" },
		  "run: --vip or --vip6 is required" },
		{ { "vgw", "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
		    "--hello-ms", "500", "--hold-ms", "500" },
		  "--hold-ms 500 must be longer than --hello-ms 500" },
		{ { "vgw", "run", "--iface", "lan0", "--hello-ms", "9" },
		  "--hello-ms: '9' is out of range (10..60000)" },
		{ { "vgw", "run", "--iface", "lan0", "--priority", "0" },
		  "--priority: '0' is out of range (1..255)" },
		{ { "vgw", "run", "--iface", "lan0", "--peer", "224.0.0.5" },
		  "--peer: '224.0.0.5' is not a unicast IPv4 or IPv6 address" },
		{ { "vgw", "run", "--iface", "lan0", "--mcast", "10.0.0.5" },
		  "--mcast: '10.0.0.5' is not an IPv4 or IPv6 link-local (ff02::) multicast "
		  "address" },
		{ { "vgw", "run", "--iface", "lan0", "--own", "1" },
		  "run: unknown option '--own'" },
		{ { "vgw", "run", "--iface", "lan0", "-c", "/nonexistent/vgw.conf" },
		  "cannot read config file /nonexistent/vgw.conf: No such file or directory" },
		{ { "vgw", "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
		    "--weight-lower", "50", "--weight-upper", "40" },
		  "--weight-lower 50 is above --weight-upper 40" },
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct vgw_cli cli;
		char err[256] = "";
		int argc = 0;

		while (cases[k].argv[argc])
			argc++;
		cr_expect_eq(cli_parse(argc, (char **)cases[k].argv, &cli, err, sizeof(err)), -1,
			     "case %zu accepted", k);
		cr_expect_str_eq(err, cases[k].message, "case %zu", k);
	}
}

Test(cli, config_errors)
{
	struct vgw_cli cli = { 0 };
	char err[256] = "";

	cr_assert_eq(cli_parse_config("iface lan0\nbogus 1\n", &cli, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "config line 2: unknown key 'bogus'");
	cr_assert_eq(cli_parse_config("priority\n", &cli, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "config line 1: priority needs a value");
	cr_assert_eq(cli_parse_config("preempt yes\n", &cli, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "config line 1: preempt takes no value");
	cr_assert_eq(cli_parse_config("config /etc/x\n", &cli, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "config line 1: unknown key 'config'");
}

Test(cli, run_balancing_flags)
{
	struct vgw_cli cli;
	char err[256] = "";

	cr_assert_eq(
		PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1"), 0,
		"%s", err);
	cr_assert_eq(cli.poll_ms, 1000);
	cr_assert_eq(cli.balance_threshold, 5);
	cr_assert_eq(cli.max_moves, 3);
	cr_assert_eq(cli.balance_min_pps, 100);
	cr_assert_eq(cli.lb, VGW_LB_LEAST_LOADED);
	cr_assert(!cli.balance_on_packets);
	cr_assert(!cli.target_weighted);
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--poll-ms", "200", "--smoothing-ms", "0", "--balance-on", "packets",
			   "--target", "weighted", "--balance-threshold", "3", "--balance-hold-ms",
			   "400", "--move-cooldown-ms", "5000", "--max-moves", "2", "--lb",
			   "host-dependent"),
		     0, "%s", err);
	cr_assert_eq(cli.poll_ms, 200);
	cr_assert_eq(cli.smoothing_ms, 0);
	cr_assert(cli.balance_on_packets);
	cr_assert(cli.target_weighted);
	cr_assert_eq(cli.balance_threshold, 3);
	cr_assert_eq(cli.balance_hold_ms, 400);
	cr_assert_eq(cli.move_cooldown_ms, 5000);
	cr_assert_eq(cli.max_moves, 2);
	cr_assert_eq(cli.lb, VGW_LB_HOST_DEPENDENT);
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--max-moves", "9"), -1);
	cr_assert_str_eq(err, "--max-moves: '9' is out of range (1..8)");
}

Test(cli, config_line_with_extra_values_is_an_error)
{
	struct vgw_cli cli = { 0 };
	char err[256] = "";

	cr_assert_eq(cli_parse_config("iface lan0\nhello-ms 100 200\n", &cli, err, sizeof(err)),
		     -1);
	cr_assert_str_eq(err, "config line 2: hello-ms takes one value, not '100 200'");
	cr_assert_eq(cli_parse_config("\n\npriority 300\n", &cli, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "config line 3: --priority: '300' is out of range (1..255)");
}

Test(cli, hold_must_cover_three_hellos_unless_allowed)
{
	struct vgw_cli cli;
	char err[256] = "";

	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--hello-ms", "100", "--hold-ms", "299"),
		     -1);
	cr_assert_str_eq(err, "--hold-ms 299 is below 3 x --hello-ms 100: one lost hello would "
			      "fail a router over (--allow-short-hold accepts it)");
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--hello-ms", "100", "--hold-ms", "101", "--allow-short-hold"),
		     0, "%s", err);
	cr_assert(cli.allow_short_hold);
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--hello-ms", "100", "--hold-ms", "100", "--allow-short-hold"),
		     -1);
	cr_assert_str_eq(err, "--hold-ms 100 must be longer than --hello-ms 100");
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--hello-ms", "100", "--hold-ms", "300"),
		     0, "%s", err);
}

Test(cli, handoff_on_by_default_off_with_0_and_not_with_the_fast_path)
{
	struct vgw_cli cli;
	char err[256] = "";

	cr_assert_eq(
		PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1"), 0,
		"%s", err);
	cr_assert_eq(cli.handoff_ms, 600000);
	cr_assert_eq(cli.drain_ms, 60000);
	cr_assert(!cli.handoff_asked, "the default is not asked for: no conntrack turns it off");
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--handoff-ms", "5000", "--drain-ms", "0"),
		     0, "%s", err);
	cr_assert_eq(cli.handoff_ms, 5000);
	cr_assert_eq(cli.drain_ms, 0);
	cr_assert(cli.handoff_asked);
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--handoff-ms", "0"),
		     0, "%s", err);
	cr_assert_eq(cli.handoff_ms, 0);
	cr_assert(!cli.handoff_asked);
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--fast-path"),
		     0, "%s", err);
	cr_assert_eq(cli.handoff_ms, 0, "the fast path leaves conntrack nothing to find");
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--fast-path", "--handoff-ms", "5000"),
		     -1);
	cr_assert_str_eq(err, "--handoff-ms and --fast-path: the fast path forwards past "
			      "conntrack, which the handoff looks flows up in (use one of them)");
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--handoff-ms", "86400001"),
		     -1);
	cr_assert_str_eq(err, "--handoff-ms: '86400001' is out of range (0..86400000)");
	cr_assert_eq(PARSE(&cli, err, "load", "--iface", "lan0", "--group", "1", "--vip",
			   "10.0.0.1", "--vmacs", "2", "--own", "1", "--handoff-ms", "5000"),
		     -1);
	cr_assert_str_eq(err, "load: unknown option '--handoff-ms'");
}

Test(cli, poll_shorter_than_hello_is_accepted)
{
	struct vgw_cli cli;
	char err[256] = "";

	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--hello-ms", "1000", "--poll-ms", "100"),
		     0, "%s", err);
	cr_assert_eq(cli.poll_ms, 100);
}

/* Every flag the README's tables and examples name is in `vgw --help`. */
Test(cli, help_lists_every_flag_the_readme_lists)
{
	char readme[65536], help[16384], flag[64];
	FILE *f = fopen("README.md", "r"), *h = fmemopen(help, sizeof(help), "w");
	size_t n, i, found = 0;

	cr_assert_not_null(f, "run from the repository root");
	n = fread(readme, 1, sizeof(readme) - 1, f);
	fclose(f);
	readme[n] = '\0';
	cli_usage(h);
	fclose(h);
	for (i = 0; i + 2 < n; i++) {
		size_t k = 0;

		if (readme[i] != '-' || readme[i + 1] != '-' ||
		    (i && readme[i - 1] != '`' && readme[i - 1] != ' '))
			continue;
		while (k + 1 < sizeof(flag) &&
		       ((readme[i + k] >= 'a' && readme[i + k] <= 'z') || readme[i + k] == '-'))
			flag[k] = readme[i + k], k++;
		flag[k] = '\0';
		if (k < 4)
			continue;
		/* a whole word of the usage text: "--hold-ms" must not match "--hold-ms-x" */
		{
			const char *p = help;
			bool whole = false;

			while ((p = strstr(p, flag))) {
				char after = p[k];

				whole |= !(after >= 'a' && after <= 'z') && after != '-';
				p += k;
			}
			cr_expect(whole, "README flag %s is not in vgw --help", flag);
		}
		found++;
	}
	cr_assert_geq(found, 30, "the README names its flags");
}

Test(cli, metrics_and_notify)
{
	struct vgw_cli cli;
	char err[256] = "";

	cr_assert_eq(
		PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1"), 0,
		"%s", err);
	cr_assert_eq(cli.metrics_port, 0, "no endpoint unless asked");
	cr_assert_str_eq(cli.notify, "");
	cr_assert_eq(cli.notify_timeout_ms, 10000);
	cr_assert_eq(PARSE(&cli, err, "run", "--iface", "lan0", "--group", "1", "--vip", "10.0.0.1",
			   "--metrics", "0.0.0.0:9767", "--notify", "/etc/vgw/notify.sh",
			   "--notify-timeout-ms", "2500"),
		     0, "%s", err);
	cr_assert_eq(cli.metrics_addr.s_addr, 0);
	cr_assert_eq(cli.metrics_port, 9767);
	cr_assert_str_eq(cli.notify, "/etc/vgw/notify.sh");
	cr_assert_eq(cli.notify_timeout_ms, 2500);
	cr_assert_eq(cli_parse_config("metrics 127.0.0.1:9100\n", &cli, err, sizeof(err)), 0, "%s",
		     err);
	cr_assert_eq(cli.metrics_addr.s_addr, htonl(0x7f000001));
	cr_assert_eq(cli.metrics_port, 9100);
}

/* The man page generator on a template of its own (a page leaving options out is an error). */
static char *man_page(const char *tmpl, bool conf, int *ret, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_not_null(f);
	*ret = cli_man_page(f, tmpl, conf, err, errlen);
	fclose(f);
	return text;
}

Test(cli, a_man_page_entry_comes_from_the_table_around_the_pages_own_lines)
{
	char err[200];
	int ret;
	char *page = man_page("# OPTIONS\n"
			      "\n"
			      "@option --hello-ms\n"
			      "\tOwn words.\n"
			      "\n"
			      "@option --vmacs\n"
			      "@option --config\n"
			      "# NEXT\n",
			      false, &ret, err, sizeof(err));

	cr_assert_str_eq(page, "# OPTIONS\n"
			       "\n"
			       "*--hello-ms* _MS_\n"
			       "\tHello interval (1000).\n"
			       "\tOwn words.\n"
			       "\tCommands: run.\n"
			       "\n"
			       "*--vmacs* _N_\n"
			       "\tvMAC pool size, 1..256 (run: 16).\n"
			       "\tOnly a restart of *vgw run* changes it. Commands: load run.\n"
			       "*-c, --config* _FILE_\n"
			       "\tRead these options from FILE (keys without --); flags win.\n"
			       "\tCommands: run.\n"
			       "# NEXT\n");
	cr_assert_eq(ret, -1, "the page lacks most options");
	cr_assert_str_eq(err, "no @option line for --iface (and 41 more)");
	free(page);
	page = man_page("@option --vmacs\n", true, &ret, err, sizeof(err));
	cr_assert_str_eq(page, "*vmacs* _N_\n"
			       "\tvMAC pool size, 1..256 (16).\n"
			       "\tOnly a restart changes it: *SIGHUP* leaves it as it is.\n");
	free(page);
}

Test(cli, a_man_page_naming_an_option_wrongly_is_refused_by_line)
{
	char err[200];
	int ret;

	free(man_page("x\n@option --nope\n", false, &ret, err, sizeof(err)));
	cr_assert_eq(ret, -1);
	cr_assert_str_eq(err, "line 2: @option --nope: no such option");
	free(man_page("@option --port\n@option --port\n", false, &ret, err, sizeof(err)));
	cr_assert_str_eq(err, "line 2: @option --port: listed twice");
	free(man_page("@option --own\n", true, &ret, err, sizeof(err)));
	cr_assert_str_eq(err, "line 1: @option --own: not a config key");
}
