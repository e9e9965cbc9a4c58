/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_DAEMON_H
#define VGW_DAEMON_H

#include "cli.h"

/* `vgw run`: the group daemon, in the foreground. argv is kept for SIGHUP re-reads. */
int vgw_cmd_run(const struct vgw_cli *cli, int argc, char **argv);

#endif
