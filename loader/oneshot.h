/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_ONESHOT_H
#define VGW_ONESHOT_H

#include "cli.h"

/* `vgw load` and `vgw unload`: return the process exit code. */
int vgw_cmd_load(const struct vgw_cli *cli);
int vgw_cmd_unload(const struct vgw_cli *cli);

/* Checks shared by every command that touches the kernel. 0 or an exit code. */
int vgw_precheck(void);

#endif
