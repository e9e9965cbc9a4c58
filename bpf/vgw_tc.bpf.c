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

/* Per CPU, this object's own (not pinned): the sums of one steering choice. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vgw_steer_sums);
} steer_scratch SEC(".maps");

/*
 * The steering loops run through bpf_loop: its callback is verified once,
 * where a plain loop over 256 vMACs with branches outgrows the verifier.
 * The arithmetic is vgw_steer.h's, shared with the balancer and simulator.
 */
struct steer_ctx {
	const struct vgw_steer_params *sp;
	int by_answers;
	struct vgw_steer_sums
		*sums; /* in steer_scratch: too big for the stack beside ND's frames */
	__u32 best;    /* host-dependent */
	__u64 host;
	__u64 best_score;
};

/*
 * A vMAC's load as the steering sees it (vgw_steer_load): all routers' vMACs
 * as measured at the same moment a window ago (a fresher local measurement
 * would make the AVG's own vMACs look heavier than the others', whose rates
 * arrive a hello later), plus the hosts answered since, none counted twice.
 * With by_answers, just the ARPs answered: weighted steering spreads those.
 * Returns -1 for a vMAC to leave out.
 */
static __always_inline __s64 steer_load(const struct steer_ctx *c, __u32 index, __u32 *router)
{
	struct vgw_steer_vmac *sv = bpf_map_lookup_elem(&steer_vmacs, &index);
	__u64 *ans = bpf_map_lookup_elem(&arp_answers, &index);

	/* steer_vmacs names owners only for vMACs in use (vmac_active: checked on the pick) */
	if (!sv || !ans || sv->router >= VGW_MAX_ROUTERS)
		return -1;
	*router = sv->router & (VGW_MAX_ROUTERS - 1);
	if (c->by_answers)
		return (__s64)*ans;
	return vgw_steer_load(sv->load_base, *ans, sv->answers_base, c->sp->host_load);
}

static long sum_routers_cb(__u64 i, void *data)
{
	struct steer_ctx *c = data;
	__u32 r = 0, index = (__u32)i + 1;
	__s64 l = steer_load(c, index, &r);

	if (l >= 0)
		vgw_steer_add(c->sums, index, r, l);
	return 0;
}

static long weigh_cb(__u64 i, void *data)
{
	struct steer_ctx *c = data;
	__u32 key = (__u32)i;
	struct vgw_steer_router *sr = bpf_map_lookup_elem(&steer_routers, &key);

	c->sums->weight[key & (VGW_MAX_ROUTERS - 1)] = sr ? (__s64)sr->weight : 0;
	vgw_steer_weigh(c->sums, key);
	return 0;
}

static long rank_cb(__u64 i, void *data)
{
	struct steer_ctx *c = data;

	vgw_steer_rank(c->sums, (__u32)i);
	return 0;
}

/* Figure 5 (vgw_steer.h) over the steering maps. 0 if nothing is known. */
static __always_inline __u32 pick_least_loaded(const struct vgw_config *cfg,
					       const struct vgw_steer_params *sp, int by_answers)
{
	struct steer_ctx c = { .sp = sp, .by_answers = by_answers };
	__u32 n = cfg->n_vmacs, zero = 0, index;

	if (n > VGW_MAX_VMACS)
		return 0;
	c.sums = bpf_map_lookup_elem(&steer_scratch, &zero);
	if (!c.sums)
		return 0;
	vgw_steer_sums_init(c.sums);
	bpf_loop(n, sum_routers_cb, &c, 0);
	bpf_loop(VGW_MAX_ROUTERS, weigh_cb, &c, 0);
	bpf_loop(VGW_MAX_ROUTERS, rank_cb, &c, 0);
	index = vgw_steer_least(c.sums);
	return vmac_active(index) ? index : 0;
}

static long rendezvous_cb(__u64 i, void *data)
{
	struct steer_ctx *c = data;
	__u32 index = (__u32)i + 1;
	__u64 score;

	if (!vmac_active(index))
		return 0;
	score = vgw_mix64(c->host ^ ((__u64)index * 0x9e3779b97f4a7c15ULL));
	if (!c->best || score > c->best_score) {
		c->best = index;
		c->best_score = score;
	}
	return 0;
}

/*
 * Rendezvous hashing: each host ranks the vMACs by a hash of (host, vMAC)
 * and gets its top active one, so it keeps its vMAC while that vMAC exists,
 * and only the hosts of a vanished vMAC move.
 */
static __always_inline __u32 pick_host_dependent(const struct vgw_config *cfg,
						 const struct steer_host *host)
{
	struct steer_ctx c = {};

	if (cfg->n_vmacs > VGW_MAX_VMACS)
		return 0;
	/* mixed before the address goes in: raw, a MAC and an address can cancel out */
	__builtin_memcpy(&c.host, host->mac, 6);
	c.host = vgw_mix64(c.host) ^ host->ip;
	bpf_loop(cfg->n_vmacs, rendezvous_cb, &c, 0);
	return c.best;
}

/*
 * Steering choices are linearized: a choice commits only if no other CPU
 * committed one since this CPU read the state, else it is undone and made
 * again. Two ARPs answered at the same instant would otherwise both see the
 * same least-loaded vMAC.
 */
__u64 steer_seq = 0;
#define STEER_TRIES 4

/* The vMAC for a new host, by the configured method; round-robin when it knows nothing yet. */
static __always_inline __u32 pick_vmac(const struct vgw_config *cfg,
				       const struct vgw_steer_params *sp,
				       const struct steer_host *host)
{
	__u32 index = 0;

	if (sp->lb_method == VGW_LB_LEAST_LOADED)
		index = pick_least_loaded(cfg, sp, 0);
	else if (sp->lb_method == VGW_LB_WEIGHTED)
		index = pick_least_loaded(cfg, sp, 1);
	else if (sp->lb_method == VGW_LB_HOST_DEPENDENT)
		index = pick_host_dependent(cfg, host);
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

/* A choice counted in arp_answers, made again while other CPUs commit theirs first. */
static __noinline __u32 pick_committed(const struct vgw_config *cfg,
				       const struct vgw_steer_params *sp,
				       const struct steer_host *host)
{
	__u32 index = 0;
	int try;

	for (try = 0; try < STEER_TRIES; try++) {
		__u64 seen = steer_seq, *ans;

		index = pick_vmac(cfg, sp, host);
		/* nothing to give: no count, and no retry forced on other CPUs */
		if (!index)
			return 0;
		ans = bpf_map_lookup_elem(&arp_answers, &index);
		if (!ans)
			return index;
		__sync_fetch_and_add(ans, 1);
		if (__sync_val_compare_and_swap(&steer_seq, seen, seen + 1) == seen ||
		    try == STEER_TRIES - 1)
			return index;
		__sync_fetch_and_add(ans, -1); /* another CPU chose meanwhile: choose again */
	}
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
