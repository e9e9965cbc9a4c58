// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_cmd_name {
	const char *name;
	enum vgw_cmd cmd;
};

static const struct cli_cmd_name cli_cmds[] = {
	{ "load", VGW_CMD_LOAD }, { "unload", VGW_CMD_UNLOAD }, { "status", VGW_CMD_STATUS },
	{ "run", VGW_CMD_RUN },	  { "help", VGW_CMD_HELP },	{ "--help", VGW_CMD_HELP },
	{ "-h", VGW_CMD_HELP },
};

/* Which options each command accepts, so a stray one is an error, not ignored. */
enum cli_opt_id {
	OPT_IFACE,
	OPT_GROUP,
	OPT_VIP,
	OPT_VMACS,
	OPT_OWN,
	OPT_AVG,
	OPT_JSON,
	OPT_MODE,
	OPT_VERBOSE,
	OPT_CONFIG,
	OPT_PRIORITY,
	OPT_WEIGHT,
	OPT_PREEMPT,
	OPT_PREEMPT_DELAY,
	OPT_HELLO,
	OPT_HOLD,
	OPT_GRACE,
	OPT_KEY_FILE,
	OPT_PEER,
	OPT_TRACK,
	OPT_TRACK_DECREMENT,
	OPT_WEIGHT_LOWER,
	OPT_WEIGHT_UPPER,
	OPT_MCAST,
	OPT_PORT,
	OPT_POLL,
	OPT_SMOOTHING,
	OPT_BALANCE_ON,
	OPT_TARGET,
	OPT_BALANCE_THRESHOLD,
	OPT_BALANCE_HOLD,
	OPT_MOVE_COOLDOWN,
	OPT_MAX_MOVES,
	OPT_BALANCE_MIN_PPS,
	OPT_LB,
};

struct cli_opt {
	const char *name;
	enum cli_opt_id id;
	bool takes_value;
	unsigned int cmds; /* bit per enum vgw_cmd */
};

#define CMD_BIT(c) (1u << (c))
#define RUN	   CMD_BIT(VGW_CMD_RUN)
#define ALL_CMDS   (CMD_BIT(VGW_CMD_LOAD) | CMD_BIT(VGW_CMD_UNLOAD) | CMD_BIT(VGW_CMD_STATUS) | RUN)
static const struct cli_opt cli_opts[] = {
	{ "--iface", OPT_IFACE, true, ALL_CMDS },
	{ "--group", OPT_GROUP, true, CMD_BIT(VGW_CMD_LOAD) | RUN },
	{ "--vip", OPT_VIP, true, CMD_BIT(VGW_CMD_LOAD) | RUN },
	{ "--vmacs", OPT_VMACS, true, CMD_BIT(VGW_CMD_LOAD) | RUN },
	{ "--own", OPT_OWN, true, CMD_BIT(VGW_CMD_LOAD) },
	{ "--avg", OPT_AVG, false, CMD_BIT(VGW_CMD_LOAD) },
	{ "--mode", OPT_MODE, true, CMD_BIT(VGW_CMD_LOAD) | RUN },
	{ "--config", OPT_CONFIG, true, RUN },
	{ "-c", OPT_CONFIG, true, RUN },
	{ "--priority", OPT_PRIORITY, true, RUN },
	{ "--weight-lower", OPT_WEIGHT_LOWER, true, RUN },
	{ "--weight-upper", OPT_WEIGHT_UPPER, true, RUN },
	{ "--weight", OPT_WEIGHT, true, RUN },
	{ "--preempt-delay-ms", OPT_PREEMPT_DELAY, true, RUN },
	{ "--preempt", OPT_PREEMPT, false, RUN },
	{ "--hello-ms", OPT_HELLO, true, RUN },
	{ "--hold-ms", OPT_HOLD, true, RUN },
	{ "--grace-ms", OPT_GRACE, true, RUN },
	{ "--key-file", OPT_KEY_FILE, true, RUN },
	{ "--peer", OPT_PEER, true, RUN },
	{ "--track-decrement", OPT_TRACK_DECREMENT, true, RUN },
	{ "--track", OPT_TRACK, true, RUN },
	{ "--mcast", OPT_MCAST, true, RUN },
	{ "--port", OPT_PORT, true, RUN },
	{ "--poll-ms", OPT_POLL, true, RUN },
	{ "--smoothing-ms", OPT_SMOOTHING, true, RUN },
	{ "--balance-on", OPT_BALANCE_ON, true, RUN },
	{ "--target", OPT_TARGET, true, RUN },
	{ "--balance-threshold", OPT_BALANCE_THRESHOLD, true, RUN },
	{ "--balance-hold-ms", OPT_BALANCE_HOLD, true, RUN },
	{ "--move-cooldown-ms", OPT_MOVE_COOLDOWN, true, RUN },
	{ "--max-moves", OPT_MAX_MOVES, true, RUN },
	{ "--balance-min-pps", OPT_BALANCE_MIN_PPS, true, RUN },
	{ "--lb", OPT_LB, true, RUN },
	{ "--json", OPT_JSON, false, CMD_BIT(VGW_CMD_STATUS) },
	{ "--verbose", OPT_VERBOSE, false, ALL_CMDS },
	{ "-v", OPT_VERBOSE, false, ALL_CMDS },
};

static int cli_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Whole-string unsigned decimal in [min, max]. */
static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* A vIP hosts can use as their gateway: unicast, not loopback or 0/8. */
static bool vip_usable(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return (h >> 24) != 0 && (h >> 24) != 127 && !IN_MULTICAST(h) && (h >> 28) != 0xf;
}

/* "1,3,5" into own[]; range checked later against --vmacs. */
static int parse_own(const char *s, struct vgw_cli *cli, char *err, size_t errlen)
{
	const char *p = s;

	if (!*s)
		return cli_fail(err, errlen, "--own needs a list of vMAC indexes, e.g. --own 1,3");
	while (*p) {
		char item[8];
		size_t len = strcspn(p, ",");
		unsigned long idx;

		if (len == 0 || len >= sizeof(item))
			return cli_fail(err, errlen, "--own: bad vMAC index list '%s'", s);
		memcpy(item, p, len);
		item[len] = '\0';
		if (parse_uint(item, 1, VGW_MAX_VMACS, &idx))
			return cli_fail(err, errlen, "--own: '%s' is not a vMAC index (1..%d)",
					item, VGW_MAX_VMACS);
		if (cli->own[idx])
			return cli_fail(err, errlen, "--own: vMAC index %lu listed twice", idx);
		cli->own[idx] = true;
		p += len;
		if (*p == ',' && !*++p)
			return cli_fail(err, errlen, "--own: bad vMAC index list '%s'", s);
	}
	return 0;
}

static const struct cli_opt *find_opt(const char *arg, const char **inline_val)
{
	size_t i;

	*inline_val = NULL;
	for (i = 0; i < sizeof(cli_opts) / sizeof(cli_opts[0]); i++) {
		size_t n = strlen(cli_opts[i].name);

		if (strncmp(arg, cli_opts[i].name, n))
			continue;
		if (arg[n] == '\0')
			return &cli_opts[i];
		if (arg[n] == '=' && cli_opts[i].takes_value) {
			*inline_val = arg + n + 1;
			return &cli_opts[i];
		}
	}
	return NULL;
}

static bool repeatable(enum cli_opt_id id)
{
	return id == OPT_VERBOSE || id == OPT_PEER || id == OPT_TRACK;
}

static int parse_ms(const char *name, const char *val, unsigned long min, unsigned long max,
		    unsigned int *out, char *err, size_t errlen)
{
	unsigned long v;

	if (parse_uint(val, min, max, &v))
		return cli_fail(err, errlen, "%s: '%s' is out of range (%lu..%lu)", name, val, min,
				max);
	*out = v;
	return 0;
}

static int apply_run_opt(const struct cli_opt *o, const char *val, struct vgw_cli *cli, char *err,
			 size_t errlen)
{
	switch (o->id) {
	case OPT_CONFIG:
		if (!*val || strlen(val) >= sizeof(cli->config_file))
			return cli_fail(err, errlen, "%s: bad file name", o->name);
		strcpy(cli->config_file, val);
		return 0;
	case OPT_PRIORITY:
		return parse_ms(o->name, val, 1, 255, &cli->priority, err, errlen);
	case OPT_WEIGHT:
		return parse_ms(o->name, val, 1, 255, &cli->weight, err, errlen);
	case OPT_WEIGHT_LOWER:
		return parse_ms(o->name, val, 0, 255, &cli->weight_lower, err, errlen);
	case OPT_WEIGHT_UPPER:
		return parse_ms(o->name, val, 0, 255, &cli->weight_upper, err, errlen);
	case OPT_TRACK_DECREMENT:
		return parse_ms(o->name, val, 1, 255, &cli->track_decrement, err, errlen);
	case OPT_PREEMPT:
		cli->preempt = true;
		return 0;
	case OPT_PREEMPT_DELAY:
		return parse_ms(o->name, val, 0, 3600000, &cli->preempt_delay_ms, err, errlen);
	case OPT_HELLO:
		return parse_ms(o->name, val, 10, 60000, &cli->hello_ms, err, errlen);
	case OPT_HOLD:
		return parse_ms(o->name, val, 30, 180000, &cli->hold_ms, err, errlen);
	case OPT_GRACE:
		return parse_ms(o->name, val, 0, 600000, &cli->grace_ms, err, errlen);
	case OPT_PORT:
		return parse_ms(o->name, val, 1, 65535, &cli->port, err, errlen);
	case OPT_KEY_FILE:
		if (!*val || strlen(val) >= sizeof(cli->key_file))
			return cli_fail(err, errlen, "%s: bad file name", o->name);
		strcpy(cli->key_file, val);
		return 0;
	case OPT_PEER:
		if (cli->n_peers == VGW_CLI_MAX_PEERS)
			return cli_fail(err, errlen, "--peer: at most %d peers", VGW_CLI_MAX_PEERS);
		if (inet_pton(AF_INET, val, &cli->peers[cli->n_peers]) != 1 ||
		    !vip_usable(cli->peers[cli->n_peers]))
			return cli_fail(err, errlen, "--peer: '%s' is not a unicast IPv4 address",
					val);
		cli->n_peers++;
		return 0;
	case OPT_TRACK:
		if (cli->n_tracks == VGW_CLI_MAX_TRACKS)
			return cli_fail(err, errlen, "--track: at most %d interfaces",
					VGW_CLI_MAX_TRACKS);
		if (!*val || strlen(val) >= IF_NAMESIZE || strchr(val, '/'))
			return cli_fail(err, errlen, "--track: '%s' is not an interface name", val);
		strcpy(cli->tracks[cli->n_tracks++], val);
		return 0;
	case OPT_POLL:
		return parse_ms(o->name, val, 10, 60000, &cli->poll_ms, err, errlen);
	case OPT_SMOOTHING:
		return parse_ms(o->name, val, 0, 600000, &cli->smoothing_ms, err, errlen);
	case OPT_BALANCE_THRESHOLD:
		return parse_ms(o->name, val, 0, 100, &cli->balance_threshold, err, errlen);
	case OPT_BALANCE_HOLD:
		return parse_ms(o->name, val, 0, 3600000, &cli->balance_hold_ms, err, errlen);
	case OPT_MOVE_COOLDOWN:
		return parse_ms(o->name, val, 0, 86400000, &cli->move_cooldown_ms, err, errlen);
	case OPT_MAX_MOVES:
		return parse_ms(o->name, val, 1, 8, &cli->max_moves, err, errlen);
	case OPT_BALANCE_MIN_PPS:
		return parse_ms(o->name, val, 0, 100000000, &cli->balance_min_pps, err, errlen);
	case OPT_BALANCE_ON:
		if (strcmp(val, "bytes") && strcmp(val, "packets"))
			return cli_fail(err, errlen, "--balance-on: '%s' is not bytes or packets",
					val);
		cli->balance_on_packets = !strcmp(val, "packets");
		return 0;
	case OPT_TARGET:
		if (strcmp(val, "equal") && strcmp(val, "weighted"))
			return cli_fail(err, errlen, "--target: '%s' is not equal or weighted",
					val);
		cli->target_weighted = !strcmp(val, "weighted");
		return 0;
	case OPT_LB: {
		static const char *const methods[] = { [VGW_LB_ROUND_ROBIN] = "round-robin",
						       [VGW_LB_LEAST_LOADED] = "least-loaded",
						       [VGW_LB_WEIGHTED] = "weighted",
						       [VGW_LB_HOST_DEPENDENT] = "host-dependent" };
		unsigned int m;

		for (m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
			if (!strcmp(val, methods[m])) {
				cli->lb = m;
				return 0;
			}
		return cli_fail(err, errlen,
				"--lb: '%s' is not least-loaded, round-robin, weighted or "
				"host-dependent",
				val);
	}
	case OPT_MCAST:
		if (inet_pton(AF_INET, val, &cli->mcast_addr) != 1 ||
		    !IN_MULTICAST(ntohl(cli->mcast_addr.s_addr)))
			return cli_fail(err, errlen,
					"--mcast: '%s' is not an IPv4 multicast address", val);
		return 0;
	default:
		return cli_fail(err, errlen, "internal: unhandled option %s", o->name);
	}
}

static int apply_opt(const struct cli_opt *o, const char *val, struct vgw_cli *cli, uint64_t *seen,
		     char *err, size_t errlen)
{
	unsigned long v;

	if ((*seen & (1ull << o->id)) && !repeatable(o->id))
		return cli_fail(err, errlen, "%s given twice", o->name);
	*seen |= 1ull << o->id;
	switch (o->id) {
	case OPT_IFACE:
		if (!*val || strlen(val) >= IF_NAMESIZE || strchr(val, '/'))
			return cli_fail(err, errlen, "--iface: '%s' is not an interface name", val);
		strcpy(cli->iface, val);
		return 0;
	case OPT_GROUP:
		if (parse_uint(val, 0, VGW_MAX_GROUP, &v))
			return cli_fail(err, errlen, "--group: '%s' is not a group number (0..%d)",
					val, VGW_MAX_GROUP);
		cli->group = v;
		return 0;
	case OPT_VIP:
		if (inet_pton(AF_INET, val, &cli->vip) != 1 || !vip_usable(cli->vip))
			return cli_fail(err, errlen, "--vip: '%s' is not a unicast IPv4 address",
					val);
		return 0;
	case OPT_VMACS:
		if (parse_uint(val, 1, VGW_MAX_VMACS, &v))
			return cli_fail(err, errlen, "--vmacs: '%s' is out of range (1..%d)", val,
					VGW_MAX_VMACS);
		cli->n_vmacs = v;
		return 0;
	case OPT_OWN:
		return parse_own(val, cli, err, errlen);
	case OPT_AVG:
		cli->avg = true;
		return 0;
	case OPT_JSON:
		cli->json = true;
		return 0;
	case OPT_MODE:
		if (!strcmp(val, "native"))
			cli->xdp_mode = VGW_XDP_MODE_NATIVE;
		else if (!strcmp(val, "skb"))
			cli->xdp_mode = VGW_XDP_MODE_SKB;
		else if (!strcmp(val, "auto"))
			cli->xdp_mode = VGW_XDP_MODE_AUTO;
		else
			return cli_fail(err, errlen, "--mode: '%s' is not native, skb or auto",
					val);
		return 0;
	case OPT_VERBOSE:
		cli->verbose++;
		return 0;
	default:
		return apply_run_opt(o, val, cli, err, errlen);
	}
	return cli_fail(err, errlen, "internal: unhandled option %s", o->name);
}

static int check_run(const struct vgw_cli *cli, uint64_t seen, char *err, size_t errlen)
{
	if (!(seen & (1ull << OPT_GROUP)))
		return cli_fail(err, errlen, "run: --group is required");
	if (!(seen & (1ull << OPT_VIP)))
		return cli_fail(err, errlen, "run: --vip is required");
	if (cli->hold_ms <= cli->hello_ms)
		return cli_fail(err, errlen, "--hold-ms %u must be longer than --hello-ms %u",
				cli->hold_ms, cli->hello_ms);
	if (cli->weight_lower && cli->weight_upper && cli->weight_lower > cli->weight_upper)
		return cli_fail(err, errlen, "--weight-lower %u is above --weight-upper %u",
				cli->weight_lower, cli->weight_upper);
	return 0;
}

static int check_required(const struct vgw_cli *cli, uint64_t seen, char *err, size_t errlen)
{
	static const struct {
		enum cli_opt_id id;
		const char *name;
	} load_required[] = {
		{ OPT_GROUP, "--group" },
		{ OPT_VIP, "--vip" },
		{ OPT_VMACS, "--vmacs" },
		{ OPT_OWN, "--own" },
	};
	size_t i;

	if (!(seen & (1ull << OPT_IFACE)))
		return cli_fail(err, errlen, "--iface is required");
	if (cli->cmd == VGW_CMD_RUN)
		return check_run(cli, seen, err, errlen);
	if (cli->cmd != VGW_CMD_LOAD)
		return 0;
	for (i = 0; i < sizeof(load_required) / sizeof(load_required[0]); i++)
		if (!(seen & (1ull << load_required[i].id)))
			return cli_fail(err, errlen, "load: %s is required", load_required[i].name);
	for (i = cli->n_vmacs + 1; i < VGW_VMAC_SLOTS; i++)
		if (cli->own[i])
			return cli_fail(err, errlen, "--own: vMAC index %zu is beyond --vmacs %u",
					i, cli->n_vmacs);
	return 0;
}

static void run_defaults(struct vgw_cli *cli)
{
	cli->priority = 100;
	cli->weight = 100;
	cli->n_vmacs = 16;
	cli->hello_ms = 1000;
	cli->hold_ms = 3000;
	cli->track_decrement = 10;
	cli->poll_ms = 1000;
	cli->smoothing_ms = 3000;
	cli->balance_threshold = 5;
	cli->balance_hold_ms = 3000;
	cli->move_cooldown_ms = 30000;
	cli->max_moves = 3;
	cli->balance_min_pps = 100;
	cli->lb = VGW_LB_LEAST_LOADED;
	cli->port = VGW_DEFAULT_PORT;
	inet_pton(AF_INET, VGW_DEFAULT_MCAST, &cli->mcast_addr);
}

/* Defaults that follow other options. */
static void run_derived(struct vgw_cli *cli, uint64_t seen)
{
	if (!(seen & (1ull << OPT_GRACE)))
		cli->grace_ms = cli->hold_ms;
	if (!(seen & (1ull << OPT_PREEMPT_DELAY)))
		cli->preempt_delay_ms = cli->hold_ms;
}

static int parse_config_text(const char *text, struct vgw_cli *cli, uint64_t *seen, char *err,
			     size_t errlen)
{
	const char *line = text;
	int lineno = 0;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512], opt[64], *key, *val, *p;
		const struct cli_opt *o;
		const char *inline_val;

		lineno++;
		if (len >= sizeof(buf))
			return cli_fail(err, errlen, "config line %d: too long", lineno);
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = end ? end + 1 : NULL;
		if ((p = strchr(buf, '#')))
			*p = '\0';
		key = buf + strspn(buf, " \t\r");
		if (!*key)
			continue;
		val = key + strcspn(key, " \t\r=");
		if (*val) {
			*val++ = '\0';
			val += strspn(val, " \t\r=");
			val[strcspn(val, " \t\r")] = '\0';
		}
		snprintf(opt, sizeof(opt), "--%s", key);
		o = find_opt(opt, &inline_val);
		if (!o || !(o->cmds & RUN) || o->id == OPT_CONFIG)
			return cli_fail(err, errlen, "config line %d: unknown key '%s'", lineno,
					key);
		if (o->takes_value && !*val)
			return cli_fail(err, errlen, "config line %d: %s needs a value", lineno,
					key);
		if (!o->takes_value && *val)
			return cli_fail(err, errlen, "config line %d: %s takes no value", lineno,
					key);
		if (apply_opt(o, val, cli, seen, err, errlen))
			return -1;
	}
	return 0;
}

int cli_parse_config(const char *text, struct vgw_cli *cli, char *err, size_t errlen)
{
	uint64_t seen = 0;

	return parse_config_text(text, cli, &seen, err, errlen);
}

static int read_config(const char *path, struct vgw_cli *cli, uint64_t *seen, char *err,
		       size_t errlen)
{
	char text[16384];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return cli_fail(err, errlen, "cannot read config file %s: %s", path,
				strerror(errno));
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	if (n == sizeof(text) - 1)
		return cli_fail(err, errlen, "config file %s is too large", path);
	text[n] = '\0';
	return parse_config_text(text, cli, seen, err, errlen);
}

/* One pass of argv over cli; with only_config, just -c/--config. */
static int parse_args(int argc, char **argv, struct vgw_cli *cli, uint64_t *seen, bool only_config,
		      char *err, size_t errlen)
{
	int a;

	for (a = 2; a < argc; a++) {
		const char *val = NULL;
		const struct cli_opt *o = find_opt(argv[a], &val);

		if (!o || !(o->cmds & CMD_BIT(cli->cmd)))
			return cli_fail(err, errlen, "%s: unknown option '%s'", argv[1], argv[a]);
		if (o->takes_value && !val) {
			if (a + 1 >= argc)
				return cli_fail(err, errlen, "%s needs a value", o->name);
			val = argv[++a];
		}
		if (only_config != (o->id == OPT_CONFIG))
			continue;
		if (apply_opt(o, val, cli, seen, err, errlen))
			return -1;
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct vgw_cli *out, char *err, size_t errlen)
{
	struct vgw_cli cli = { 0 };
	uint64_t seen = 0, seen_file = 0;
	size_t i;

	if (argc < 2)
		return cli_fail(err, errlen, "no command given (try 'vgw help')");
	for (i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++)
		if (!strcmp(argv[1], cli_cmds[i].name))
			cli.cmd = cli_cmds[i].cmd;
	if (cli.cmd == VGW_CMD_NONE)
		return cli_fail(err, errlen, "unknown command '%s' (try 'vgw help')", argv[1]);
	if (cli.cmd == VGW_CMD_HELP) {
		*out = cli;
		return 0;
	}
	if (cli.cmd == VGW_CMD_RUN)
		run_defaults(&cli);

	/* the file first, so that flags given with it win */
	if (parse_args(argc, argv, &cli, &seen, true, err, errlen))
		return -1;
	if (cli.config_file[0] && read_config(cli.config_file, &cli, &seen_file, err, errlen))
		return -1;
	if (parse_args(argc, argv, &cli, &seen, false, err, errlen))
		return -1;
	seen |= seen_file;
	if (cli.cmd == VGW_CMD_RUN)
		run_derived(&cli, seen);
	if (check_required(&cli, seen, err, errlen))
		return -1;
	*out = cli;
	return 0;
}

void cli_usage(FILE *out)
{
	fputs("usage:\n"
	      "  vgw load   --iface IF --group G --vip ADDR --vmacs N --own I,J,... [--avg]\n"
	      "             [--mode native|skb|auto] [-v]\n"
	      "  vgw unload --iface IF\n"
	      "  vgw status --iface IF [--json]\n"
	      "  vgw run    --iface IF --group G --vip ADDR [--priority 1-255] [--weight 1-255]\n"
	      "             [--preempt] [--preempt-delay-ms MS] [--vmacs N] [--hello-ms MS]\n"
	      "             [--hold-ms MS] [--grace-ms MS] [--key-file F] [--peer ADDR ...]\n"
	      "             [--track IF ...] [--track-decrement N] [--weight-lower N]\n"
	      "             [--weight-upper N] [--mcast ADDR] [--port P] [--mode M] [-c FILE]\n"
	      "\n"
	      "G is 0..4095, N is 1..256 and vMAC indexes run 1..N. The vMAC of index I in\n"
	      "group G is 02:76:67:GG:GI:II (12-bit G, 12-bit I).\n",
	      out);
}
