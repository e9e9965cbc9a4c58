// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The command line and the config file, parsed by the option table
 * (cli_table.c): values stored where the rows say, defaults, the rules that
 * span options, and what SIGHUP leaves as it is.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_table.h"

struct cli_cmd_name {
	const char *name;
	enum vgw_cmd cmd;
};

static const struct cli_cmd_name cli_cmds[] = {
	{ "load", VGW_CMD_LOAD }, { "unload", VGW_CMD_UNLOAD },	  { "status", VGW_CMD_STATUS },
	{ "run", VGW_CMD_RUN },	  { "help", VGW_CMD_HELP },	  { "--help", VGW_CMD_HELP },
	{ "-h", VGW_CMD_HELP },	  { "version", VGW_CMD_VERSION }, { "--version", VGW_CMD_VERSION },
};

static int cli_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cli_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static bool takes_value(const struct cli_opt *o)
{
	return o->type != T_FLAG && o->type != T_COUNT;
}

static bool repeats(const struct cli_opt *o)
{
	return o->count_off || o->type == T_COUNT;
}

/* The bit of the option stored at field off, for the seen mask. */
static uint64_t bit_of(size_t off)
{
	size_t i;

	for (i = 0; i < N_OPTS; i++)
		if (cli_opts[i].off == off && cli_opts[i].type != T_OWN)
			return 1ull << i;
	return 0;
}

static uint64_t own_bit(void)
{
	size_t i;

	for (i = 0; i < N_OPTS; i++)
		if (cli_opts[i].type == T_OWN)
			return 1ull << i;
	return 0;
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

/* An address hosts or routers can use: unicast, not loopback or 0/8. */
static bool unicast_usable(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return (h >> 24) != 0 && (h >> 24) != 127 && !IN_MULTICAST(h) && (h >> 28) != 0xf;
}

/* A unicast IPv6 address a router or host can use: not ::, ::1, multicast or v4-mapped. */
static bool unicast6_usable(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_V4MAPPED(a);
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

/* "ADDR:PORT" (IPv4 ADDR, 0.0.0.0 for every address) into the row's two fields. */
static int parse_addrport(const struct cli_opt *o, const char *val, struct vgw_cli *cli, char *err,
			  size_t errlen)
{
	const char *colon = strrchr(val, ':');
	char addr[INET_ADDRSTRLEN];
	unsigned long port;

	if (!colon || (size_t)(colon - val) >= sizeof(addr) ||
	    parse_uint(colon + 1, 1, 65535, &port))
		return cli_fail(err, errlen, "%s: '%s' is not ADDR:PORT (e.g. 127.0.0.1:9767)",
				o->name, val);
	memcpy(addr, val, colon - val);
	addr[colon - val] = '\0';
	if (inet_pton(AF_INET, addr, (char *)cli + o->off) != 1)
		return cli_fail(err, errlen, "%s: '%s' is not an IPv4 address", o->name, addr);
	*(unsigned int *)((char *)cli + o->port_off) = port;
	return 0;
}

/* "a, b or c" from a choice list. */
static void choices_str(const struct cli_choice *c, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; c[i].name && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s",
				i == 0		? ""
				: c[i + 1].name ? ", "
						: " or ",
				c[i].name);
}

static const struct cli_opt *find_opt(const char *arg, const char **inline_val)
{
	size_t i;

	*inline_val = NULL;
	for (i = 0; i < N_OPTS; i++) {
		const char *names[] = { cli_opts[i].name, cli_opts[i].alias };
		unsigned int k;

		for (k = 0; k < 2 && names[k]; k++) {
			size_t n = strlen(names[k]);

			if (strncmp(arg, names[k], n))
				continue;
			if (arg[n] == '\0')
				return &cli_opts[i];
			if (arg[n] == '=' && takes_value(&cli_opts[i])) {
				*inline_val = arg + n + 1;
				return &cli_opts[i];
			}
		}
	}
	return NULL;
}

/* One value into its field, as the row says. */
static int store(const struct cli_opt *o, const char *val, struct vgw_cli *cli, char *err,
		 size_t errlen)
{
	char *field = (char *)cli + o->off, names[160];
	unsigned int *count = o->count_off ? (unsigned int *)((char *)cli + o->count_off) : NULL;
	unsigned long v;
	size_t i;

	if (count && *count + (o->type == T_PEER ? cli->n_peers6 : 0) == o->max_count)
		return cli_fail(err, errlen, "%s: at most %u %s", o->name, o->max_count,
				o->type == T_IFNAME ? "interfaces" : "peers");
	switch (o->type) {
	case T_FLAG:
		*(bool *)field = true;
		return 0;
	case T_COUNT:
		(*(int *)field)++;
		return 0;
	case T_UINT:
		if (parse_uint(val, o->min, o->max, &v)) {
			if (o->what)
				return cli_fail(err, errlen, "%s: '%s' is not %s (%lu..%lu)",
						o->name, val, o->what, o->min, o->max);
			return cli_fail(err, errlen, "%s: '%s' is out of range (%lu..%lu)", o->name,
					val, o->min, o->max);
		}
		*(unsigned int *)field = v;
		return 0;
	case T_IFNAME:
		if (!*val || strlen(val) >= IF_NAMESIZE || strchr(val, '/'))
			return cli_fail(err, errlen, "%s: '%s' is not an interface name", o->name,
					val);
		strcpy(field + (count ? *count : 0) * IF_NAMESIZE, val);
		break;
	case T_PATH:
		if (!*val || strlen(val) >= sizeof(cli->key_file))
			return cli_fail(err, errlen, "%s: bad file name", o->name);
		strcpy(field, val);
		return 0;
	case T_UNICAST4: {
		struct in_addr *a = (struct in_addr *)field + (count ? *count : 0);

		if (inet_pton(AF_INET, val, a) != 1 || !unicast_usable(*a))
			return cli_fail(err, errlen, "%s: '%s' is not a unicast IPv4 address",
					o->name, val);
		break;
	}
	case T_MCAST: {
		struct in_addr *a = (struct in_addr *)field;

		if (inet_pton(AF_INET6, val, &cli->mcast6) == 1 &&
		    IN6_IS_ADDR_MC_LINKLOCAL(&cli->mcast6)) {
			cli->mcast_v6 = true;
			return 0;
		}
		if (inet_pton(AF_INET, val, a) != 1 || !IN_MULTICAST(ntohl(a->s_addr)))
			return cli_fail(err, errlen,
					"%s: '%s' is not an IPv4 or IPv6 link-local (ff02::) "
					"multicast address",
					o->name, val);
		cli->mcast_v6 = false;
		return 0;
	}
	case T_VIP6: {
		struct in6_addr *a = (struct in6_addr *)field;

		if (inet_pton(AF_INET6, val, a) != 1 || !unicast6_usable(a) ||
		    IN6_IS_ADDR_LINKLOCAL(a) != (o->min == 1))
			return cli_fail(err, errlen, "%s: '%s' is not a %s IPv6 address", o->name,
					val, o->min ? "link-local (fe80::/10)" : "global unicast");
		return 0;
	}
	case T_PEER: {
		struct in_addr a4;

		if (inet_pton(AF_INET, val, &a4) == 1 && unicast_usable(a4)) {
			cli->peers[cli->n_peers++] = a4;
			return 0;
		}
		if (inet_pton(AF_INET6, val, &cli->peers6[cli->n_peers6]) == 1 &&
		    unicast6_usable(&cli->peers6[cli->n_peers6])) {
			cli->n_peers6++;
			return 0;
		}
		return cli_fail(err, errlen, "%s: '%s' is not a unicast IPv4 or IPv6 address",
				o->name, val);
	}
	case T_CHOICE:
		for (i = 0; o->choices[i].name; i++)
			if (!strcmp(val, o->choices[i].name)) {
				*(unsigned int *)field = o->choices[i].value;
				return 0;
			}
		choices_str(o->choices, names, sizeof(names));
		return cli_fail(err, errlen, "%s: '%s' is not %s", o->name, val, names);
	case T_OWN:
		return parse_own(val, cli, err, errlen);
	case T_ADDRPORT:
		return parse_addrport(o, val, cli, err, errlen);
	}
	if (count)
		(*count)++;
	return 0;
}

static int apply_opt(const struct cli_opt *o, const char *val, struct vgw_cli *cli, uint64_t *seen,
		     char *err, size_t errlen)
{
	uint64_t bit = 1ull << (o - cli_opts);

	if ((*seen & bit) && !repeats(o))
		return cli_fail(err, errlen, "%s given twice", o->name);
	*seen |= bit;
	return store(o, val, cli, err, errlen);
}

/* Defaults of vgw run: the table's (tests check each parses). */
static void run_defaults(struct vgw_cli *cli)
{
	char err[160];
	size_t i;

	for (i = 0; i < N_OPTS; i++)
		if (cli_opts[i].def)
			store(&cli_opts[i], cli_opts[i].def, cli, err, sizeof(err));
}

static void run_derived(struct vgw_cli *cli, uint64_t seen)
{
	/* IPv6 hellos where the group is told to, or has no IPv4 gateway to share */
	cli->hello_v6 = cli->mcast_v6 || cli->n_peers6 || !(seen & bit_of(F(vip)));
	/* --mcast's default is IPv4's; IPv6 hellos have their own group */
	if (!cli->mcast_v6)
		inet_pton(AF_INET6, VGW_DEFAULT_MCAST6, &cli->mcast6);
	if (!(seen & bit_of(F(grace_ms))))
		cli->grace_ms = cli->hold_ms;
	cli->handoff_asked = (seen & bit_of(F(handoff_ms))) && cli->handoff_ms;
	/* frames the fast path forwards make no conntrack entry for the handoff to find */
	if (cli->fast_path && !cli->handoff_asked)
		cli->handoff_ms = 0;
	if (!(seen & bit_of(F(preempt_delay_ms))))
		cli->preempt_delay_ms = cli->hold_ms;
}

/* Every rule that spans options, in one place. */
static int check(const struct vgw_cli *cli, uint64_t seen, char *err, size_t errlen)
{
	static const size_t load_required[] = { F(group), F(n_vmacs) };
	static const size_t run_required[] = { F(group) };
	const char *cmd = cli->cmd == VGW_CMD_RUN ? "run" : "load";
	const size_t *req = cli->cmd == VGW_CMD_RUN ? run_required : load_required;
	size_t n = cli->cmd == VGW_CMD_RUN ? 1 : 2, i;

	if (!(seen & bit_of(F(iface))))
		return cli_fail(err, errlen, "--iface is required");
	if (cli->cmd != VGW_CMD_RUN && cli->cmd != VGW_CMD_LOAD)
		return 0;
	for (i = 0; i < n; i++)
		if (!(seen & bit_of(req[i])))
			return cli_fail(err, errlen, "%s: %s is required", cmd,
					cli_opts[__builtin_ctzll(bit_of(req[i]))].name);
	if ((seen & bit_of(F(vip6_global))) && !(seen & bit_of(F(vip6))))
		return cli_fail(err, errlen,
				"--vip6-global needs --vip6: hosts find the gateway by its "
				"link-local address");
	if (!(seen & (bit_of(F(vip)) | bit_of(F(vip6)))))
		return cli_fail(err, errlen, "%s: --vip or --vip6 is required", cmd);
	if (cli->cmd == VGW_CMD_LOAD) {
		if (!(seen & own_bit()))
			return cli_fail(err, errlen, "load: --own is required");
		for (i = cli->n_vmacs + 1; i < VGW_VMAC_SLOTS; i++)
			if (cli->own[i])
				return cli_fail(err, errlen,
						"--own: vMAC index %zu is beyond --vmacs %u", i,
						cli->n_vmacs);
		return 0;
	}
	if (cli->hold_ms <= cli->hello_ms)
		return cli_fail(err, errlen, "--hold-ms %u must be longer than --hello-ms %u",
				cli->hold_ms, cli->hello_ms);
	if (cli->hold_ms < 3 * cli->hello_ms && !cli->allow_short_hold)
		return cli_fail(err, errlen,
				"--hold-ms %u is below 3 x --hello-ms %u: one lost hello would "
				"fail a router over (--allow-short-hold accepts it)",
				cli->hold_ms, cli->hello_ms);
	if (cli->fast_path && cli->handoff_asked)
		return cli_fail(
			err, errlen,
			"--handoff-ms and --fast-path: the fast path forwards past conntrack, "
			"which the handoff looks flows up in (use one of them)");
	if (cli->n_peers && (cli->n_peers6 || cli->mcast_v6))
		return cli_fail(
			err, errlen,
			"--peer and --mcast must be all IPv4 or all IPv6: hellos go over one");
	if (cli->weight_lower && cli->weight_upper && cli->weight_lower > cli->weight_upper)
		return cli_fail(err, errlen, "--weight-lower %u is above --weight-upper %u",
				cli->weight_lower, cli->weight_upper);
	return 0;
}

static int parse_config_text(const char *text, struct vgw_cli *cli, uint64_t *seen, char *err,
			     size_t errlen)
{
	const char *line = text;
	int lineno = 0;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512], opt[64], *key, *val, *extra, *p;
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
		}
		extra = val + strcspn(val, " \t\r");
		if (*extra) {
			*extra++ = '\0';
			extra += strspn(extra, " \t\r");
		}
		snprintf(opt, sizeof(opt), "--%s", key);
		o = find_opt(opt, &inline_val);
		if (!o || !(o->cmds & RUN) || o->off == F(config_file))
			return cli_fail(err, errlen, "config line %d: unknown key '%s'", lineno,
					key);
		if (takes_value(o) && !*val)
			return cli_fail(err, errlen, "config line %d: %s needs a value", lineno,
					key);
		if (!takes_value(o) && *val)
			return cli_fail(err, errlen, "config line %d: %s takes no value", lineno,
					key);
		if (*extra)
			return cli_fail(err, errlen,
					"config line %d: %s takes one value, not '%s %s'", lineno,
					key, val, extra);
		if (apply_opt(o, val, cli, seen, err, errlen)) {
			char msg[256];

			snprintf(msg, sizeof(msg), "%s", err);
			return cli_fail(err, errlen, "config line %d: %s", lineno, msg);
		}
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
		if (takes_value(o) && !val) {
			if (a + 1 >= argc)
				return cli_fail(err, errlen, "%s needs a value", o->name);
			val = argv[++a];
		}
		if (only_config != (o->off == F(config_file) && o->type == T_PATH))
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
	if (cli.cmd == VGW_CMD_HELP || cli.cmd == VGW_CMD_VERSION) {
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
	if (check(&cli, seen, err, errlen))
		return -1;
	*out = cli;
	return 0;
}

/* The fields a row stores into: its own, and the port or IPv6 group that go with it. */
static size_t row_spans(const struct cli_opt *o, size_t off[3], size_t size[3])
{
	size_t n = 0;

	off[n] = o->off, size[n++] = o->size;
	if (o->port_off)
		off[n] = o->port_off, size[n++] = sizeof(unsigned int);
	if (o->type == T_MCAST) {
		off[n] = F(mcast6), size[n++] = FSIZE(mcast6);
		off[n] = F(mcast_v6), size[n++] = FSIZE(mcast_v6);
	}
	return n;
}

unsigned int cli_keep_restart_only(struct vgw_cli *next, const struct vgw_cli *running,
				   char *changed, size_t len)
{
	unsigned int n = 0;
	size_t i, k, used = 0;

	if (len)
		changed[0] = '\0';
	for (i = 0; i < N_OPTS; i++) {
		const struct cli_opt *o = &cli_opts[i];
		size_t off[3], size[3], spans;
		bool differs = false;

		if (!o->restart_only)
			continue;
		spans = row_spans(o, off, size);
		for (k = 0; k < spans; k++) {
			differs |= memcmp((char *)next + off[k], (const char *)running + off[k],
					  size[k]) != 0;
			memcpy((char *)next + off[k], (const char *)running + off[k], size[k]);
		}
		if (!differs)
			continue;
		n++;
		if (used < len)
			used += snprintf(changed + used, len - used, "%s%s", used ? ", " : "",
					 o->name + 2);
	}
	return n;
}
