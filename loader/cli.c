// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct cli_cmd_name {
	const char *name;
	enum vgw_cmd cmd;
};

static const struct cli_cmd_name cli_cmds[] = {
	{ "load", VGW_CMD_LOAD }, { "unload", VGW_CMD_UNLOAD }, { "status", VGW_CMD_STATUS },
	{ "help", VGW_CMD_HELP }, { "--help", VGW_CMD_HELP },	{ "-h", VGW_CMD_HELP },
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
};

struct cli_opt {
	const char *name;
	enum cli_opt_id id;
	bool takes_value;
	unsigned int cmds; /* bit per enum vgw_cmd */
};

#define CMD_BIT(c) (1u << (c))
#define ALL_CMDS   (CMD_BIT(VGW_CMD_LOAD) | CMD_BIT(VGW_CMD_UNLOAD) | CMD_BIT(VGW_CMD_STATUS))

static const struct cli_opt cli_opts[] = {
	{ "--iface", OPT_IFACE, true, ALL_CMDS },
	{ "--group", OPT_GROUP, true, CMD_BIT(VGW_CMD_LOAD) },
	{ "--vip", OPT_VIP, true, CMD_BIT(VGW_CMD_LOAD) },
	{ "--vmacs", OPT_VMACS, true, CMD_BIT(VGW_CMD_LOAD) },
	{ "--own", OPT_OWN, true, CMD_BIT(VGW_CMD_LOAD) },
	{ "--avg", OPT_AVG, false, CMD_BIT(VGW_CMD_LOAD) },
	{ "--mode", OPT_MODE, true, CMD_BIT(VGW_CMD_LOAD) },
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

static int apply_opt(const struct cli_opt *o, const char *val, struct vgw_cli *cli,
		     unsigned int *seen, char *err, size_t errlen)
{
	unsigned long v;

	if (*seen & (1u << o->id))
		return cli_fail(err, errlen, "%s given twice", o->name);
	*seen |= 1u << o->id;
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
		*seen &= ~(1u << o->id); /* -v may repeat */
		return 0;
	}
	return cli_fail(err, errlen, "internal: unhandled option %s", o->name);
}

static int check_required(const struct vgw_cli *cli, unsigned int seen, char *err, size_t errlen)
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

	if (!(seen & (1u << OPT_IFACE)))
		return cli_fail(err, errlen, "--iface is required");
	if (cli->cmd != VGW_CMD_LOAD)
		return 0;
	for (i = 0; i < sizeof(load_required) / sizeof(load_required[0]); i++)
		if (!(seen & (1u << load_required[i].id)))
			return cli_fail(err, errlen, "load: %s is required", load_required[i].name);
	for (i = cli->n_vmacs + 1; i < VGW_VMAC_SLOTS; i++)
		if (cli->own[i])
			return cli_fail(err, errlen, "--own: vMAC index %zu is beyond --vmacs %u",
					i, cli->n_vmacs);
	return 0;
}

int cli_parse(int argc, char **argv, struct vgw_cli *out, char *err, size_t errlen)
{
	struct vgw_cli cli = { 0 };
	unsigned int seen = 0;
	size_t i;
	int a;

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

	for (a = 2; a < argc; a++) {
		const char *val = NULL;
		const struct cli_opt *o = find_opt(argv[a], &val);

		if (!o || !(o->cmds & CMD_BIT(cli.cmd)))
			return cli_fail(err, errlen, "%s: unknown option '%s'", argv[1], argv[a]);
		if (o->takes_value && !val) {
			if (a + 1 >= argc)
				return cli_fail(err, errlen, "%s needs a value", o->name);
			val = argv[++a];
		}
		if (apply_opt(o, val, &cli, &seen, err, errlen))
			return -1;
	}
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
	      "\n"
	      "G is 0..4095, N is 1..256 and vMAC indexes run 1..N. The vMAC of index I in\n"
	      "group G is 02:76:67:GG:GI:II (12-bit G, 12-bit I).\n",
	      out);
}
