// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw-man-page [--conf] <TEMPLATE >PAGE.scd: a man page's scdoc text, its
 * option list filled in from the option table (cli_man_page). make man runs
 * it; it fails, naming the line, on an option the template lacks or does not
 * know.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv)
{
	static char tmpl[1 << 18];
	bool conf = argc == 2 && !strcmp(argv[1], "--conf");
	size_t n = fread(tmpl, 1, sizeof(tmpl) - 1, stdin);
	char err[200];

	if ((argc == 2 && !conf) || argc > 2 || n == sizeof(tmpl) - 1) {
		fprintf(stderr, "usage: vgw-man-page [--conf] <TEMPLATE (under %zu bytes)\n",
			sizeof(tmpl) - 1);
		return 2;
	}
	tmpl[n] = '\0';
	if (cli_man_page(stdout, tmpl, conf, err, sizeof(err))) {
		fprintf(stderr, "vgw-man-page: %s\n", err);
		return 1;
	}
	return fflush(stdout) ? 1 : 0;
}
