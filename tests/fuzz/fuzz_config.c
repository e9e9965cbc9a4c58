// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: any text as a vgw run config file. It is parsed or it
 * is refused with one line; it never crashes, reads out of bounds or leaves
 * an error message unterminated.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256];
	struct vgw_cli cli = { 0 };

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(err, 'x', sizeof(err));
	if (cli_parse_config(text, &cli, err, sizeof(err)) &&
	    (!memchr(err, '\0', sizeof(err)) || strchr(err, '\n')))
		abort();
	free(text);
	return 0;
}
