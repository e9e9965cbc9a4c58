// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the option table says to people: vgw --help, and the option lists of
 * vgw(8) and vgw.conf(5), made from the pages' scdoc templates at build time.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli_table.h"

static const char *const cmd_names[] = { [VGW_CMD_LOAD] = "load",
					 [VGW_CMD_UNLOAD] = "unload",
					 [VGW_CMD_STATUS] = "status",
					 [VGW_CMD_RUN] = "run" };

static void print_cmds(FILE *out, unsigned int cmds)
{
	const char *sep = "";
	unsigned int c;

	if (cmds == ALL) {
		fputs(" [all]", out);
		return;
	}
	fputs(" [", out);
	for (c = VGW_CMD_LOAD; c <= VGW_CMD_RUN; c++)
		if (cmds & CMD_BIT(c)) {
			fprintf(out, "%s%s", sep, cmd_names[c]);
			sep = " ";
		}
	fputs("]", out);
}

void cli_usage(FILE *out)
{
	size_t i;

	fputs("usage:\n"
	      "  vgw load   --iface IF --group G --vip ADDR|--vip6 ADDR --vmacs N --own I,J,... "
	      "[--avg] [OPTIONS]\n"
	      "  vgw unload --iface IF\n"
	      "  vgw status --iface IF [--json]\n"
	      "  vgw run    --iface IF --group G --vip ADDR|--vip6 ADDR [OPTIONS] [-c FILE]\n"
	      "  vgw --help (or help, -h): this text\n"
	      "  vgw --version (or version)\n"
	      "\n"
	      "options [the commands that take them]:\n",
	      out);
	for (i = 0; i < N_OPTS; i++) {
		const struct cli_opt *o = &cli_opts[i];
		char name[80];

		snprintf(name, sizeof(name), "%s%s%s%s%s", o->alias ? o->alias : "",
			 o->alias ? ", " : "", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		if (strlen(name) >= 26)
			fprintf(out, "  %s\n  %-26s %s", name, "", o->help);
		else
			fprintf(out, "  %-26s %s", name, o->help);
		if (o->def)
			fprintf(out, " (%s%s)", o->cmds & LOAD ? "run: " : "", o->def);
		print_cmds(out, o->cmds);
		fputc('\n', out);
	}
	fputs("\nG is 0..4095, N is 1..256 and vMAC indexes run 1..N. The vMAC of index I in\n"
	      "group G is 02:76:67:GG:GI:II (12-bit G, 12-bit I).\n",
	      out);
}

/* Whether an option has an entry on the page: vgw(8) lists all, vgw.conf(5) the config keys. */
static bool on_page(const struct cli_opt *o, bool conf)
{
	return !conf || ((o->cmds & RUN) && o->off != F(config_file));
}

static const struct cli_opt *opt_named(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < N_OPTS; i++)
		if (strlen(cli_opts[i].name) == len && !strncmp(cli_opts[i].name, name, len))
			return &cli_opts[i];
	return NULL;
}

/* "*--hello-ms* _MS_" and its first line, --help's words (and default) as a sentence. */
static void man_heading(FILE *out, const struct cli_opt *o, bool conf)
{
	const char *h = o->help;

	if (conf)
		fprintf(out, "*%s*", o->name + 2);
	else
		fprintf(out, "*%s%s%s*", o->alias ? o->alias : "", o->alias ? ", " : "", o->name);
	if (o->arg)
		fprintf(out, " _%s_", o->arg);
	/* "the LAN interface" starts a sentence; "vMAC pool size" stays as it is */
	fprintf(out, "\n\t%c%s", h[1] >= 'A' && h[1] <= 'Z' ? h[0] : toupper((unsigned char)h[0]),
		h + 1);
	if (o->def)
		fprintf(out, " (%s%s)", !conf && (o->cmds & LOAD) ? "run: " : "", o->def);
	fputs(".\n", out);
}

/* After the page's own lines: whether SIGHUP changes it, and (vgw(8)) which commands take it. */
static void man_tail(FILE *out, const struct cli_opt *o, bool conf)
{
	unsigned int c;

	if (conf) {
		if (o->restart_only)
			fputs("\tOnly a restart changes it: *SIGHUP* leaves it as it is.\n", out);
		return;
	}
	fputs("\t", out);
	if (o->restart_only && (o->cmds & RUN))
		fputs("Only a restart of *vgw run* changes it. ", out);
	fputs("Commands:", out);
	if (o->cmds == ALL)
		fputs(" all", out);
	else
		for (c = VGW_CMD_LOAD; c <= VGW_CMD_RUN; c++)
			if (o->cmds & CMD_BIT(c))
				fprintf(out, " %s", cmd_names[c]);
	fputs(".\n", out);
}

int cli_man_page(FILE *out, const char *tmpl, bool conf, char *err, size_t errlen)
{
	static const char tag[] = "@option ";
	const struct cli_opt *open = NULL; /* the entry whose tail is still to come */
	bool listed[64] = { false };
	const char *line = tmpl, *end;
	unsigned int lineno = 0, missing = 0;
	size_t i;
	int ret = 0;

	if (err && errlen)
		err[0] = '\0';
	for (; *line; line = *end ? end + 1 : end) {
		const struct cli_opt *o;

		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		lineno++;
		if (open && *line != '\t') {
			man_tail(out, open, conf);
			open = NULL;
		}
		if (strncmp(line, tag, sizeof(tag) - 1)) {
			fprintf(out, "%.*s\n", (int)(end - line), line);
			continue;
		}
		o = opt_named(line + sizeof(tag) - 1, end - line - (sizeof(tag) - 1));
		if (!o || !on_page(o, conf) || listed[o - cli_opts]) {
			if (!ret)
				snprintf(err, errlen, "line %u: %.*s: %s", lineno,
					 (int)(end - line), line,
					 !o			? "no such option"
					 : listed[o - cli_opts] ? "listed twice"
								: "not a config key");
			ret = -1;
			continue;
		}
		listed[o - cli_opts] = true;
		man_heading(out, o, conf);
		open = o;
	}
	if (open)
		man_tail(out, open, conf);
	for (i = 0; i < N_OPTS; i++)
		if (on_page(&cli_opts[i], conf) && !listed[i] && !missing++ && !ret)
			snprintf(err, errlen, "no @option line for %s", cli_opts[i].name);
	if (missing > 1 && ret == 0) {
		size_t n = strlen(err);

		snprintf(err + n, errlen - n, " (and %u more)", missing - 1);
	}
	return ret || missing ? -1 : 0;
}
