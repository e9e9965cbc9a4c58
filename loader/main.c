// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>

#include "cli.h"
#include "daemon.h"
#include "log.h"
#include "dataplane.h"
#include "status.h"
#include "version.h"

int main(int argc, char **argv)
{
	struct vgw_cli cli;
	char err[256];
	int ret;

	if (cli_parse(argc, argv, &cli, err, sizeof(err))) {
		fprintf(stderr, "vgw: error: %s\n", err);
		return 2;
	}
	vgw_log_set_level(cli.verbose ? VGW_LOG_DEBUG : VGW_LOG_INFO);
	vgw_log_hook_libs();

	switch (cli.cmd) {
	case VGW_CMD_HELP:
		cli_usage(stdout);
		return 0;
	case VGW_CMD_VERSION:
		printf("vgw %s\n", VGW_VERSION);
		return 0;
	case VGW_CMD_STATUS:
		return vgw_cmd_status(&cli);
	case VGW_CMD_LOAD:
		ret = vgw_precheck();
		return ret ? ret : vgw_cmd_load(&cli);
	case VGW_CMD_RUN:
		ret = vgw_precheck();
		return ret ? ret : vgw_cmd_run(&cli, argc, argv);
	case VGW_CMD_UNLOAD:
		ret = vgw_precheck();
		return ret ? ret : vgw_cmd_unload(&cli);
	default:
		return 2;
	}
}
