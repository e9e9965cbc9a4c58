/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Figure 5 of WO 2005/018176, once: the least-loaded vMAC of the router
 * furthest below its target. The tc program (what answers hosts), the
 * balancer (balance.c) and the simulator all include this header, so the
 * simulator measures the code that runs. No libc, no maps: the callers feed
 * it loads and read its choice, the tc program through bpf_loop callbacks.
 */
#ifndef VGW_STEER_H
#define VGW_STEER_H

#include "vgw_common.h"

/*
 * Router r is off target by load_r * W - w_r * L (W the weights, L the
 * load, of the routers in the choice): exact in integers, negative below
 * target. Shares in percent are only for reporting.
 */
static inline __s64 vgw_steer_dev(__s64 load, __s64 weight, __s64 wsum, __s64 total)
{
	return load * wsum - weight * total;
}

/*
 * The routers' loads, summed from their vMACs, and the choice among them.
 * Slots index weight[] (0: empty slot). Each step is a function of one vMAC
 * or one router, so the tc program can run them as bpf_loop callbacks (a
 * plain loop over 16 routers with branches outgrows the verifier).
 */
struct vgw_steer_sums {
	__s64 rload[VGW_MAX_ROUTERS];
	__s64 weight[VGW_MAX_ROUTERS];
	__s64 total;
	__s64 wsum;		   /* weights of the routers that take part */
	__s64 best_dev;		   /* the deviation of best_router */
	__u32 best_router;	   /* VGW_MAX_ROUTERS: none */
	__u8 has[VGW_MAX_ROUTERS]; /* the router owns a vMAC in the choice */
	/* each router's least-loaded vMAC so far (its caller's key, the first on a tie) */
	__u32 least[VGW_MAX_ROUTERS];
	__s64 least_load[VGW_MAX_ROUTERS];
};

static inline void vgw_steer_sums_init(struct vgw_steer_sums *s)
{
	__builtin_memset(s, 0, sizeof(*s));
	s->best_router = VGW_MAX_ROUTERS;
}

/*
 * Step 1, per vMAC in key order: vMAC key (nonzero) of router slot r with
 * load. It also keeps each router's least-loaded vMAC, so that step 4 needs
 * no second pass over the vMACs.
 */
static inline void vgw_steer_add(struct vgw_steer_sums *s, __u32 key, __u32 r, __s64 load)
{
	r &= VGW_MAX_ROUTERS - 1; /* bounds the index for the verifier */
	s->rload[r] += load;
	if (!s->has[r] || load < s->least_load[r]) {
		s->least[r] = key;
		s->least_load[r] = load;
	}
	s->has[r] = 1;
	s->total += load;
}

/*
 * Routers without a vMAC take no part: nothing could be given to them.
 * Step 2, per router: its weight into the total.
 */
static inline void vgw_steer_weigh(struct vgw_steer_sums *s, __u32 r)
{
	r &= VGW_MAX_ROUTERS - 1;
	if (s->has[r] && s->weight[r] > 0)
		s->wsum += s->weight[r];
}

/* Step 3, per router in slot order: the furthest below target so far (the first on a tie). */
static inline void vgw_steer_rank(struct vgw_steer_sums *s, __u32 r)
{
	__s64 dev;

	r &= VGW_MAX_ROUTERS - 1;
	if (!s->has[r] || s->weight[r] <= 0)
		return;
	dev = vgw_steer_dev(s->rload[r], s->weight[r], s->wsum, s->total);
	if (s->best_router == VGW_MAX_ROUTERS || dev < s->best_dev) {
		s->best_router = r;
		s->best_dev = dev;
	}
}

/* Steps 2 and 3 over every router: the router furthest below its target, or VGW_MAX_ROUTERS. */
static inline __u32 vgw_steer_router(struct vgw_steer_sums *s)
{
	__u32 r;

	for (r = 0; r < VGW_MAX_ROUTERS; r++)
		vgw_steer_weigh(s, r);
	for (r = 0; r < VGW_MAX_ROUTERS; r++)
		vgw_steer_rank(s, r);
	return s->best_router;
}

/* Step 4: the least-loaded vMAC of the router steps 2 and 3 chose; 0: none. */
static inline __u32 vgw_steer_least(const struct vgw_steer_sums *s)
{
	if (s->best_router >= VGW_MAX_ROUTERS)
		return 0;
	return s->least[s->best_router & (VGW_MAX_ROUTERS - 1)];
}

/*
 * A vMAC's load as the steering sees it (herd protection): its load a
 * smoothing window ago plus one host's mean load for every ARP answered with
 * it since, so hosts that boot together spread instead of piling on one vMAC.
 */
static inline __s64 vgw_steer_load(__u64 load_base, __u64 answers, __u64 answers_base,
				   __u64 host_load)
{
	return (__s64)(load_base + (answers - answers_base) * host_load);
}

/*
 * What the daemon publishes in steer_sums, built in two steps: each router
 * starts from router_answers[slot] as read (answered_base), then every vMAC
 * in key order adds its steering data (steer_vmacs) and its arp_answers count
 * as read, to the router that owns it.
 */
static inline void vgw_steer_sum_start(struct vgw_steer_sum *sum, __u64 answered_base, __u64 weight)
{
	__builtin_memset(sum, 0, sizeof(*sum));
	sum->answered_base = answered_base;
	sum->weight = weight;
}

static inline void vgw_steer_sum_add(struct vgw_steer_sum sums[VGW_MAX_ROUTERS], __u32 index,
				     const struct vgw_steer_vmac *sv, __u64 answers,
				     __u64 host_load)
{
	struct vgw_steer_sum *sum;

	if (sv->router >= VGW_MAX_ROUTERS || !index || index > VGW_MAX_VMACS)
		return;
	sum = &sums[sv->router];
	sum->load += (__u64)vgw_steer_load(sv->load_base, answers, sv->answers_base, host_load);
	sum->answers += answers;
	sum->vmacs[sum->n_vmacs++] = (__u16)index;
}

/*
 * Last, the group's totals into slot VGW_STEER_GROUP: the loads and answers
 * of the routers that own a vMAC, the weights of those that take part (as
 * vgw_steer_add and vgw_steer_weigh count them), router_answers[GROUP] as read.
 */
static inline void vgw_steer_sums_total(struct vgw_steer_sum *sums, __u64 answered_base)
{
	struct vgw_steer_sum *g = &sums[VGW_STEER_GROUP];
	__u32 r;

	vgw_steer_sum_start(g, answered_base, 0);
	for (r = 0; r < VGW_MAX_ROUTERS; r++) {
		if (!sums[r].n_vmacs)
			continue;
		g->load += sums[r].load;
		g->answers += sums[r].answers;
		g->n_vmacs += sums[r].n_vmacs;
		if ((__s64)sums[r].weight > 0)
			g->weight += sums[r].weight;
	}
}

#endif /* VGW_STEER_H */
