/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Loads the XDP and TC skeletons unpinned, sharing one set of maps, and runs them. */
#ifndef VGW_TEST_HARNESS_H
#define VGW_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frames.h"
#include "maps.h"
#include "vgw_common.h"

#define T_GROUP	 1
#define T_NVMACS 4

extern const uint8_t T_IFMAC[6];
extern const uint8_t T_HOSTMAC[6];
extern const uint8_t T_VIP[4];
extern const uint8_t T_HOSTIP[4];
extern const uint8_t T_ROUTERID[4];
extern const uint8_t T_BCAST[6];
extern const uint8_t T_ZERO6[6];

struct dp {
	struct vgw_xdp *xdp;
	struct vgw_tc *tc;
	struct vgw_maps m;
};

/* vMACs 1..T_NVMACS in group T_GROUP; those in own_mask (bit i = index i) are owned. */
void dp_setup(struct dp *dp, bool avg, unsigned int own_mask);
/* The same, the XDP program built with --fast-path on or off. */
void dp_setup_fast(struct dp *dp, bool avg, unsigned int own_mask, bool fast_path);
/* The same, the XDP program built with connection handoff (--handoff-ms) on or off. */
void dp_setup_handoff(struct dp *dp, unsigned int own_mask, bool handoff);
void dp_teardown(struct dp *dp);
/* What vgw load or vgw run write to steer_params. */
void dp_set_steer(struct dp *dp, bool avg, uint8_t lb_method, uint64_t host_load);

/* What vgw run publishes in steer_sums, from steer_vmacs, the answers and steer_params as they are.
 */
void dp_publish_steer(struct dp *dp);

/* A heartbeat as vgw_beat leaves it: current, or expired (its timer fired). */
void dp_set_heartbeat(struct dp *dp, bool failed_safe);

void vmac(uint16_t index, uint8_t mac[6]);

/* What a router's kernel sends when it answers a host's ARP for the vIP, before tc's rewrite. */
size_t kernel_arp_reply(uint8_t *buf, const uint8_t host_mac[6], const uint8_t host_ip[4]);

/* Runs a program once on in[0..len); the output frame lands in out. Returns the verdict. */
int dp_run_xdp(struct dp *dp, const uint8_t *in, size_t len, uint8_t *out, size_t *out_len);
int dp_run_tc_egress(struct dp *dp, const uint8_t *in, size_t len, uint8_t *out, size_t *out_len);
int dp_run_tc_ingress(struct dp *dp, const uint8_t *in, size_t len);

struct vgw_vmac_counters dp_counters(struct dp *dp, uint32_t index);
struct vgw_arp_counters dp_arp_counters(struct dp *dp);

#endif
