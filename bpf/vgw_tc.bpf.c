// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * clsact programs on the LAN interface.
 *
 * Egress: every router's kernel answers ARP for the vIP with its own MAC,
 * since the vIP is a local address everywhere. Here that answer becomes the
 * group's: a vMAC goes into the ARP body (never the Ethernet source, or
 * switches would learn the vMAC on this router's port), or the answer is
 * suppressed on routers that do not speak for the group.
 *
 * Ingress: after XDP rewrote a vMAC frame to our own MAC, native XDP on veth
 * keeps the PACKET_OTHERHOST mark it had, and IP would drop the frame. Mark
 * such frames PACKET_HOST. In skb mode and on NIC drivers the type is already
 * right and this program does nothing.
 */
#include "vgw_maps.bpf.h"
#include "vgw_steer.h"

/*
 * Position (0-based) where the next round-robin search starts: just after the
 * last vMAC given out, so every active vMAC gets an equal turn even when some
 * in between are unused. Two CPUs racing may give the same vMAC twice; that
 * only costs evenness, never correctness.
 */
__u32 rr_next = 0;

static __always_inline int mac_equal(const __u8 *a, const __u8 *b)
{
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] && a[4] == b[4] &&
	       a[5] == b[5];
}

struct rr_ctx {
	__u32 n, start, found;
};

static long rr_cb(__u64 i, void *data)
{
	struct rr_ctx *c = data;
	__u32 index = (c->start + (__u32)i) % c->n + 1;
	struct vgw_vmac_entry *v = bpf_map_lookup_elem(&vmac_table, &index);

	if (v && v->state != VGW_VMAC_UNUSED) {
		c->found = index;
		return 1;
	}
	return 0;
}

/* The next active vMAC in turn, 0 if the pool has none. Through bpf_loop, as below. */
static __always_inline __u32 pick_round_robin(const struct vgw_config *cfg)
{
	struct rr_ctx c = { .n = cfg->n_vmacs, .start = rr_next };

	if (c.n == 0 || c.n > VGW_MAX_VMACS)
		return 0;
	bpf_loop(c.n, rr_cb, &c, 0);
	if (c.found)
		rr_next = c.found % c.n;
	return c.found;
}

/* The vMAC a host probed for within the TTL, consumed; 0 if none. */
static __always_inline __u32 take_probe(const struct vgw_arp_eth *arp)
{
	struct vgw_arp_asker asker = {};

	__builtin_memcpy(asker.mac, arp->tha, 6);
	__builtin_memcpy(asker.ip, arp->tpa, 4);
	return probe_take(&arp_probes, &asker);
}

static __always_inline int vmac_active(__u32 index)
{
	struct vgw_vmac_entry *v = bpf_map_lookup_elem(&vmac_table, &index);

	return v && v->state != VGW_VMAC_UNUSED;
}

/* The host an answer goes to: its MAC, and its address (IPv6 ones folded to 32 bits). */
struct steer_host {
	__u8 mac[6];
	__u8 ipv6; /* 1: answered by NA, else by ARP */
	__u8 pad;
	__u32 ip;
};

/*
 * What the steering callbacks change, per CPU in this object's own map (not
 * pinned). Never on the caller's stack: a verifier that checks a bpf_loop
 * callback once (6.1) takes a value it sees on the stack at the first call
 * for a constant, and prunes the branches that test it ("no best yet").
 */
struct steer_work {
	__s64 best_dev;	  /* least-loaded: the chosen router's deviation */
	__s64 least_load; /* least-loaded: the chosen router's least-loaded vMAC */
	__u64 best_score; /* host-dependent: the best vMAC's score */
	__u32 router;	  /* least-loaded: the chosen router's slot; VGW_MAX_ROUTERS: none */
	__u32 best;	  /* the vMAC chosen so far; 0: none */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct steer_work);
} steer_scratch SEC(".maps");

/*
 * The steering loops run through bpf_loop, one callback per router or vMAC:
 * each callback is verified as a function, where a plain loop with branches
 * outgrows the verifier. The arithmetic is vgw_steer.h's, shared with the
 * balancer and the simulator.
 */
struct steer_ctx {
	const struct vgw_steer_params *sp;
	struct steer_work *w;
	const struct vgw_steer_sum *sum; /* least-loaded: the chosen router's */
	__u64 host;			 /* host-dependent: the host's hash */
	__s64 total, wsum;		 /* least-loaded: the group's load and weight now */
	int by_answers;
};

/*
 * A vMAC's load as the steering sees it (vgw_steer_load): all routers' vMACs
 * as measured at the same moment a window ago (a fresher local measurement
 * would make the AVG's own vMACs look heavier than the others', whose rates
 * arrive a hello later), plus the hosts answered since, none counted twice.
 * With by_answers, just the ARPs answered: weighted steering spreads those.
 * Returns -1 for a vMAC to leave out.
 */
static __always_inline __s64 steer_load(const struct steer_ctx *c, __u32 index)
{
	struct vgw_steer_vmac *sv = bpf_map_lookup_elem(&steer_vmacs, &index);
	__u64 *ans = bpf_map_lookup_elem(&arp_answers, &index);

	/* steer_vmacs names owners only for vMACs in use (vmac_active: checked on the pick) */
	if (!sv || !ans || sv->router >= VGW_MAX_ROUTERS)
		return -1;
	if (c->by_answers)
		return (__s64)*ans;
	return vgw_steer_load(sv->load_base, *ans, sv->answers_base, c->sp->host_load);
}

/*
 * A router's (or, at VGW_STEER_GROUP, the group's) load now: as the daemon
 * summed it, plus one mean host for each answer given with its vMACs since.
 */
static __always_inline __s64 sum_load(const struct steer_ctx *c, const struct vgw_steer_sum *sum,
				      __u32 slot)
{
	__u64 *answered = bpf_map_lookup_elem(&router_answers, &slot);
	__u64 since = 0;

	if (answered && *answered > sum->answered_base)
		since = *answered - sum->answered_base;
	if (c->by_answers)
		return (__s64)(sum->answers + since);
	return (__s64)(sum->load + since * c->sp->host_load);
}

/*
 * Steps 1 to 3 of Figure 5 in one pass, per router in slot order: the group's
 * load and weight are known beforehand (steer_sums' group slot), so each
 * router's deviation (vgw_steer_dev) is ranked as it comes; the first on a tie.
 */
static long router_cb(__u64 i, void *data)
{
	struct steer_ctx *c = data;
	__u32 r = (__u32)i & (VGW_MAX_ROUTERS - 1);
	struct vgw_steer_sum *sum = bpf_map_lookup_elem(&steer_sums, &r);
	__s64 dev;

	/* routers without a vMAC or a weight take no part */
	if (!sum || !sum->n_vmacs || (__s64)sum->weight <= 0)
		return 0;
	dev = vgw_steer_dev(sum_load(c, sum, r), (__s64)sum->weight, c->wsum, c->total);
	if (c->w->router == VGW_MAX_ROUTERS || dev < c->w->best_dev) {
		c->w->router = r;
		c->w->best_dev = dev;
	}
	return 0;
}

/* Step 4, per vMAC of the chosen router: its least-loaded (the first on a tie). */
static long least_cb(__u64 i, void *data)
{
	struct steer_ctx *c = data;
	__u32 index = c->sum->vmacs[i & (VGW_MAX_VMACS - 1)];
	__s64 l = steer_load(c, index);

	if (l < 0)
		return 0;
	if (!c->w->best || l < c->w->least_load) {
		c->w->best = index;
		c->w->least_load = l;
	}
	return 0;
}

/* Figure 5 (vgw_steer.h) over the steering maps. 0 if nothing is known. */
static __always_inline __u32 pick_least_loaded(const struct vgw_steer_params *sp,
					       struct steer_work *w, int by_answers)
{
	struct steer_ctx c = { .sp = sp, .w = w, .by_answers = by_answers };
	__u32 r = VGW_STEER_GROUP, n;

	c.sum = bpf_map_lookup_elem(&steer_sums, &r);
	if (!c.sum || !c.sum->n_vmacs)
		return 0;
	c.total = sum_load(&c, c.sum, r);
	c.wsum = (__s64)c.sum->weight;
	w->router = VGW_MAX_ROUTERS;
	w->best = 0;
	bpf_loop(VGW_MAX_ROUTERS, router_cb, &c, 0);
	r = w->router;
	if (r >= VGW_MAX_ROUTERS)
		return 0;
	c.sum = bpf_map_lookup_elem(&steer_sums, &r);
	if (!c.sum)
		return 0;
	n = c.sum->n_vmacs;
	if (n > VGW_MAX_VMACS)
		return 0;
	bpf_loop(n, least_cb, &c, 0);
	return vmac_active(w->best) ? w->best : 0;
}

static long rendezvous_cb(__u64 i, void *data)
{
	struct steer_ctx *c = data;
	__u32 index = (__u32)i + 1;
	__u64 score;

	if (!vmac_active(index))
		return 0;
	score = vgw_mix64(c->host ^ ((__u64)index * 0x9e3779b97f4a7c15ULL));
	if (!c->w->best || score > c->w->best_score) {
		c->w->best = index;
		c->w->best_score = score;
	}
	return 0;
}

/*
 * Rendezvous hashing: each host ranks the vMACs by a hash of (host, vMAC)
 * and gets its top active one, so it keeps its vMAC while that vMAC exists,
 * and only the hosts of a vanished vMAC move.
 */
static __always_inline __u32 pick_host_dependent(const struct vgw_config *cfg,
						 const struct steer_host *host,
						 struct steer_work *w)
{
	struct steer_ctx c = { .w = w };

	if (cfg->n_vmacs > VGW_MAX_VMACS)
		return 0;
	/* mixed before the address goes in: raw, a MAC and an address can cancel out */
	__builtin_memcpy(&c.host, host->mac, 6);
	c.host = vgw_mix64(c.host) ^ host->ip;
	w->best = 0;
	bpf_loop(cfg->n_vmacs, rendezvous_cb, &c, 0);
	return w->best;
}

/* The vMAC for a new host, by the configured method; round-robin when it knows nothing yet. */
static __always_inline __u32 pick_vmac(const struct vgw_config *cfg,
				       const struct vgw_steer_params *sp,
				       const struct steer_host *host)
{
	struct steer_work *w;
	__u32 index = 0, zero = 0;

	w = bpf_map_lookup_elem(&steer_scratch, &zero);
	if (!w)
		return 0;
	if (sp->lb_method == VGW_LB_LEAST_LOADED)
		index = pick_least_loaded(sp, w, 0);
	else if (sp->lb_method == VGW_LB_WEIGHTED)
		index = pick_least_loaded(sp, w, 1);
	else if (sp->lb_method == VGW_LB_HOST_DEPENDENT)
		index = pick_host_dependent(cfg, host, w);
	return index ? index : pick_round_robin(cfg);
}

/* Remember the host: the daemon sizes a host's load by how many there are. */
static __always_inline void note_host(const struct steer_host *host)
{
	__u64 now = bpf_ktime_get_ns(), mac = 0;

	if (!host->ipv6) {
		bpf_map_update_elem(&arp_hosts, &host->ip, &now, BPF_ANY);
		return;
	}
	__builtin_memcpy(&mac, host->mac, 6);
	bpf_map_update_elem(&nd_hosts, &mac, &now, BPF_ANY);
}

/*
 * A choice, counted for its vMAC (arp_answers) and its router
 * (router_answers), so the next choice sees it at once. Choices on two CPUs
 * within the same few hundred nanoseconds can both see the state before the
 * other's count and give the same vMAC: that costs evenness only, and no
 * choice is ever made twice (no retry loop around the bpf_loop calls, a shape
 * some verifiers reject).
 */
static __noinline __u32 pick_committed(const struct vgw_config *cfg,
				       const struct vgw_steer_params *sp,
				       const struct steer_host *host)
{
	struct vgw_steer_vmac *sv;
	__u64 *count;
	__u32 index = pick_vmac(cfg, sp, host), r;

	/* nothing to give: no count */
	if (!index)
		return 0;
	count = bpf_map_lookup_elem(&arp_answers, &index);
	if (count)
		__sync_fetch_and_add(count, 1);
	sv = bpf_map_lookup_elem(&steer_vmacs, &index);
	if (!sv || sv->router >= VGW_MAX_ROUTERS)
		return index;
	r = sv->router;
	count = bpf_map_lookup_elem(&router_answers, &r);
	if (count)
		__sync_fetch_and_add(count, 1);
	r = VGW_STEER_GROUP;
	count = bpf_map_lookup_elem(&router_answers, &r);
	if (count)
		__sync_fetch_and_add(count, 1);
	return index;
}

static __always_inline int set_sender_vmac(struct __sk_buff *skb, __u32 index)
{
	struct vgw_vmac_entry *v = bpf_map_lookup_elem(&vmac_table, &index);

	if (!v || v->state == VGW_VMAC_UNUSED)
		return -1;
	return bpf_skb_store_bytes(skb, sizeof(struct ethhdr) + offsetof(struct vgw_arp_eth, sha),
				   v->mac, 6, 0);
}

static __noinline int arp_egress(struct __sk_buff *skb, const struct vgw_config *cfg,
				 const struct vgw_steer_params *sp)
{
	struct {
		struct ethhdr eth;
		struct vgw_arp_eth arp;
	} __attribute__((packed)) f;
	struct steer_host host = {};
	struct vgw_arp_counters *ac;
	__u32 index;

	if (bpf_skb_load_bytes(skb, 0, &f, sizeof(f)))
		return TC_ACT_UNSPEC;
	ac = arp_counters_get();
	/* no IPv4 virtual address (an IPv6-only LAN): 0.0.0.0 is not one */
	if (!ac || !arp_is_ipv4_eth(&f.arp) || !ip4_equal(f.arp.spa, cfg->vip) ||
	    !(cfg->vip[0] | cfg->vip[1] | cfg->vip[2] | cfg->vip[3]))
		return TC_ACT_UNSPEC;

	/* A request from the vIP would teach every host our own MAC for it. */
	if (f.arp.op == bpf_htons(ARPOP_REQUEST)) {
		ac->requests_dropped++;
		return TC_ACT_SHOT;
	}
	if (f.arp.op != bpf_htons(ARPOP_REPLY))
		return TC_ACT_UNSPEC;
	/* a dead daemon's view of the group is stale: it speaks for nobody */
	if (daemon_gone()) {
		ac->replies_failsafe++;
		return TC_ACT_SHOT;
	}

	index = take_probe(&f.arp);
	if (index && set_sender_vmac(skb, index) == 0) {
		ac->replies_probe++;
		return TC_ACT_UNSPEC;
	}
	if (!sp->avg) {
		ac->replies_dropped++;
		return TC_ACT_SHOT;
	}
	__builtin_memcpy(host.mac, f.arp.tha, 6);
	__builtin_memcpy(&host.ip, f.arp.tpa, 4);
	index = pick_committed(cfg, sp, &host);
	if (!index || set_sender_vmac(skb, index)) {
		ac->no_vmac++;
		return TC_ACT_SHOT;
	}
	note_host(&host);
	ac->replies_avg++;
	return TC_ACT_UNSPEC;
}

#include "vgw_tc_nd.bpf.h"

SEC("tc")
int vgw_tc_egress(struct __sk_buff *skb)
{
	struct vgw_steer_params *sp;
	struct vgw_config *cfg;
	__u32 zero = 0;

	if (skb->protocol != bpf_htons(ETH_P_ARP) && skb->protocol != bpf_htons(ETH_P_IPV6))
		return TC_ACT_UNSPEC;
	cfg = bpf_map_lookup_elem(&vgw_config, &zero);
	sp = bpf_map_lookup_elem(&steer_params, &zero);
	if (!cfg || !sp)
		return TC_ACT_UNSPEC;
	if (skb->protocol == bpf_htons(ETH_P_ARP))
		return arp_egress(skb, cfg, sp);
	return nd_egress(skb, cfg, sp);
}

SEC("tc")
int vgw_tc_ingress(struct __sk_buff *skb)
{
	struct vgw_arp_counters *ac;
	struct vgw_config *cfg;
	__u8 dest[6];
	__u32 zero = 0;

	if (skb->pkt_type != PACKET_OTHERHOST)
		return TC_ACT_UNSPEC;
	if (bpf_skb_load_bytes(skb, 0, dest, sizeof(dest)))
		return TC_ACT_UNSPEC;
	cfg = bpf_map_lookup_elem(&vgw_config, &zero);
	if (!cfg || !mac_equal(dest, cfg->ifmac))
		return TC_ACT_UNSPEC;
	bpf_skb_change_type(skb, PACKET_HOST);
	ac = arp_counters_get();
	if (ac)
		ac->pkt_type_fixed++;
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
