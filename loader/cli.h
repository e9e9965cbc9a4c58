/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_CLI_H
#define VGW_CLI_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vgw_common.h"

enum vgw_cmd {
	VGW_CMD_NONE = 0,
	VGW_CMD_LOAD,
	VGW_CMD_UNLOAD,
	VGW_CMD_STATUS,
	VGW_CMD_HELP,
};

enum vgw_xdp_mode_opt {
	VGW_XDP_MODE_AUTO = 0, /* native where the driver has it, else skb */
	VGW_XDP_MODE_NATIVE,
	VGW_XDP_MODE_SKB,
};

struct vgw_cli {
	enum vgw_cmd cmd;
	char iface[IF_NAMESIZE];
	unsigned int group;
	struct in_addr vip;
	unsigned int n_vmacs;
	bool own[VGW_VMAC_SLOTS]; /* own[i]: this router forwards vMAC index i */
	bool avg;
	bool json;
	enum vgw_xdp_mode_opt xdp_mode;
	int verbose;
};

/*
 * Parse argv (argv[0] is the program, argv[1] the command). Pure: on error
 * returns -1 with a one-line message in err and touches nothing else.
 */
int cli_parse(int argc, char **argv, struct vgw_cli *cli, char *err, size_t errlen);
void cli_usage(FILE *out);

#endif
