/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_DATAPLANE_H
#define VGW_DATAPLANE_H

#include <xdp/libxdp.h>

#include "cli.h"
#include "maps.h"

/* `vgw load` and `vgw unload`: return the process exit code. */
int vgw_cmd_load(const struct vgw_cli *cli);
int vgw_cmd_unload(const struct vgw_cli *cli);

/*
 * The data plane as `vgw load` sets it up (owned vMACs claimed, AVG per
 * cli), and its teardown. Both print the one error line themselves and
 * return 0 or 1.
 */
int vgw_dataplane_up(const struct vgw_cli *cli, enum xdp_attach_mode *attached);
int vgw_dataplane_down(const char *ifname);

/* vMAC index is now ours: into the unicast filter (recorded for unload). */
int vgw_vmac_claim(int ifindex, const struct vgw_maps *m, __u32 index);
/* vMAC index is not ours any more: take it out of the unicast filter if vgw put it there. */
int vgw_vmac_unclaim(int ifindex, const struct vgw_maps *m, __u32 index);

/* "vIP A, vIP6 B C": the virtual addresses cli gives, for log lines. */
void vgw_vips_str(const struct vgw_cli *cli, char *buf, size_t len);

/* Checks shared by every command that touches the kernel. 0 or an exit code. */
int vgw_precheck(void);

#endif
