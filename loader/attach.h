/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_ATTACH_H
#define VGW_ATTACH_H

#include <stdbool.h>

#include <xdp/libxdp.h>

struct vgw_tc;
struct vgw_beat;

/*
 * Returned by the loaders below when the kernel's verifier rejected a
 * program: they have already said which, on which kernel, and why.
 */
#define VGW_ERR_REPORTED (-4095)

/* Create the maps no program reads (vgw_state.bpf.c), pinned in pin_dir. */
int vgw_state_maps_create(const char *pin_dir);
/* Open and load the TC object; its maps are created and pinned in pin_dir. */
int vgw_tc_open_load(const char *pin_dir, struct vgw_tc **skel);
/* Load the heartbeat program (vgw run's own) on the daemon_heartbeat map pinned in pin_dir. */
int vgw_beat_open_load(const char *pin_dir, struct vgw_beat **skel);
/* Attach the egress program (ARP and ND answers); *created tells whether we made the clsact qdisc.
 */
int vgw_tc_attach(struct vgw_tc *skel, int ifindex, bool *created);
/*
 * Attach the ingress program that re-marks rewritten frames PACKET_HOST:
 * needed only where the mark survives the rewrite (native XDP on veth),
 * and kept off elsewhere, since a tc ingress hook costs every frame.
 */
int vgw_tc_attach_ingress(struct vgw_tc *skel, int ifindex);
/* Remove our filters only; the qdisc too when we created it and nothing else uses it. */
void vgw_tc_detach(int ifindex, bool destroy_clsact);

struct vgw_config;

/*
 * Attach the XDP program through libxdp, reusing the maps pinned in pin_dir.
 * cfg's group, pool size and router MAC become the program's constants.
 */
int vgw_xdp_attach(const char *pin_dir, const struct vgw_config *cfg, int ifindex,
		   enum xdp_attach_mode mode, enum xdp_attach_mode *attached);
/*
 * Swap our XDP program for one built from cfg, attached alone or through
 * libxdp's dispatcher: frames meet the old program or the new one, never none.
 */
int vgw_xdp_replace(const char *pin_dir, const struct vgw_config *cfg, int ifindex);
/* Whether our XDP program is attached to ifindex. */
bool vgw_xdp_attached(int ifindex);
/* Detach our XDP program and leave other libxdp programs in place. */
int vgw_xdp_detach(int ifindex);

const char *vgw_xdp_mode_str(enum xdp_attach_mode mode);

#endif
