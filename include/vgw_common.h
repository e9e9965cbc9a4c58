/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Structures and constants shared by the BPF programs and the vgw binary.
 * Every map key and value is defined here once; docs/maps.md describes them
 * for operators reading `bpftool map dump`.
 */
#ifndef VGW_COMMON_H
#define VGW_COMMON_H

#ifndef __VMLINUX_H__
#include <linux/bpf.h> /* struct bpf_timer */
#include <linux/types.h>
#endif

/* vMAC pool: indexes run 1..VGW_MAX_VMACS; map slot == index, slot 0 unused. */
#define VGW_MAX_VMACS  256
#define VGW_VMAC_SLOTS (VGW_MAX_VMACS + 1)
#define VGW_MAX_GROUP  4095

/*
 * vMAC layout: 02:76:67:GG:GI:II. 0x02 = locally administered unicast,
 * 0x76 0x67 = "vg"; then the 12-bit group and the 12-bit index. The XDP
 * program recovers the map slot from the address itself, so classifying a
 * frame costs no hash lookup.
 */
#define VGW_VMAC_B0 0x02
#define VGW_VMAC_B1 0x76
#define VGW_VMAC_B2 0x67

static inline void vgw_vmac_from_index(__u16 group, __u16 index, __u8 mac[6])
{
	mac[0] = VGW_VMAC_B0;
	mac[1] = VGW_VMAC_B1;
	mac[2] = VGW_VMAC_B2;
	mac[3] = (__u8)(group >> 4);
	mac[4] = (__u8)(((group & 0xf) << 4) | ((index >> 8) & 0xf));
	mac[5] = (__u8)(index & 0xff);
}

/* Whether mac has the vMAC prefix 02:76:67 of any group. */
static inline int vgw_vmac_prefix(const __u8 mac[6])
{
	return mac[0] == VGW_VMAC_B0 && mac[1] == VGW_VMAC_B1 && mac[2] == VGW_VMAC_B2;
}

/* For a mac with the vMAC prefix: its index (1..n_vmacs) in group, else 0. */
static inline __u16 vgw_vmac_index_in_group(const __u8 mac[6], __u16 group, __u16 n_vmacs)
{
	__u16 index;

	if (mac[3] != (__u8)(group >> 4) || (mac[4] >> 4) != (group & 0xf))
		return 0;
	index = (__u16)(((mac[4] & 0xf) << 8) | mac[5]);
	if (index == 0 || index > n_vmacs)
		return 0;
	return index;
}

/* Returns the vMAC index (1..n_vmacs) that mac encodes for group, else 0. */
static inline __u16 vgw_vmac_to_index(const __u8 mac[6], __u16 group, __u16 n_vmacs)
{
	return vgw_vmac_prefix(mac) ? vgw_vmac_index_in_group(mac, group, n_vmacs) : 0;
}

/* A 64-bit finalizer (murmur3's fmix64): host-dependent steering ranks vMACs by it. */
static inline __u64 vgw_mix64(__u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

enum vgw_vmac_state {
	VGW_VMAC_UNUSED = 0,	/* not in the pool */
	VGW_VMAC_OWNED = 1,	/* this router forwards it */
	VGW_VMAC_FOREIGN = 2,	/* another router forwards it; frames are dropped */
	VGW_VMAC_RELEASING = 3, /* given away, still forwarded for a grace period */
};

/* vmac_entry.flags */
#define VGW_VMAC_F_UC_FILTER 0x1 /* vgw added it to the NIC's unicast filter (loader only) */
#define VGW_VMAC_F_HANDOFF   0x2 /* in a handoff window: see handoff_table */

/* map vmac_table: key __u32 index -> value */
struct vgw_vmac_entry {
	__u8 mac[6];
	__u8 state; /* enum vgw_vmac_state */
	__u8 flags;
	__u8 owner[4]; /* router id (IPv4) of the owner; 0.0.0.0 unknown */
};

/* map vmac_counters (per-CPU): key __u32 index -> value */
struct vgw_vmac_counters {
	__u64 packets; /* frames to this vMAC accepted and passed to the stack */
	__u64 bytes;
	__u64 misdelivered_packets; /* frames to this vMAC dropped: not ours */
	__u64 misdelivered_bytes;
};

enum vgw_lb_method {
	VGW_LB_ROUND_ROBIN = 0,
	VGW_LB_LEAST_LOADED = 1,
	VGW_LB_WEIGHTED = 2,
	VGW_LB_HOST_DEPENDENT = 3,
};

/* map vgw_undo: key __u32 0 -> value. What `vgw unload` must put back; the loader's only. */
struct vgw_undo {
	__u8 vip_added;	     /* vgw added the vIP to the interface */
	__u8 clsact_created; /* vgw created the clsact qdisc */
	__u8 xdp_mode;	     /* enum xdp_attach_mode vgw attached with */
	__u8 vip6_added;     /* VGW_UNDO_VIP6_*: the IPv6 virtual addresses vgw added */
	/* saved sysctl values, -1 where vgw did not change it */
	__s32 arp_announce;
	__s32 arp_ignore;
	__s32 arp_notify;
	__s32 send_redirects;
	__s32 all_send_redirects;
	__s32 rp_filter;
};

#define VGW_UNDO_VIP6_LL     0x1
#define VGW_UNDO_VIP6_GLOBAL 0x2

/* A router's role in the group, as hellos and vgw status report it. */
enum vgw_router_state {
	VGW_STATE_INIT = 0,
	VGW_STATE_LISTEN = 1,  /* forwarder, neither the AVG nor its standby */
	VGW_STATE_STANDBY = 2, /* becomes AVG if the AVG falls silent */
	VGW_STATE_AVG = 3,     /* answers ARP for the vIP, assigns the vMACs */
	VGW_STATE_LEAVING = 4, /* graceful stop under way */
};

/*
 * map vgw_config: key __u32 0 -> value. What this data plane is, written
 * once by the loader and constant while it is loaded.
 */
struct vgw_config {
	__u8 vip[4];	   /* 0.0.0.0: no IPv4 virtual address (an IPv6-only LAN) */
	__u8 router_id[4]; /* this router's IPv4 address on the interface, or --router-id */
	__u8 ifmac[6];	   /* the interface's own MAC: owned frames are rewritten to it */
	__u16 group;
	__u16 n_vmacs;
	__u8 flags; /* VGW_CFG_F_* */
	__u8 pad;
	__u8 vip6[16];	      /* the virtual link-local address; all zero: no IPv6 */
	__u8 vip6_global[16]; /* a virtual global address too; all zero: none */
	__u8 ll6[16];	      /* this router's own link-local: what NS from a virtual address use */
};

#define VGW_CFG_F_FAST_PATH 0x1 /* --fast-path: owned frames are forwarded in XDP */
#define VGW_CFG_F_HANDOFF   0x2 /* --handoff-ms: moved vMACs' old flows go to their old router */

/*
 * map steer_params: key __u32 0 -> value. How the tc program answers ARP for
 * the vIP: set by vgw load, then kept up to date by vgw run.
 */
struct vgw_steer_params {
	__u8 avg;	/* 1: this router answers broadcast ARP for the vIP */
	__u8 lb_method; /* enum vgw_lb_method */
	__u8 pad[6];
	__u64 host_load; /* mean load of one host: the provisional load of an ARP answered */
};

/* map daemon_status (vgw run): key __u32 0 -> value; all zero under vgw load */
struct vgw_daemon_status {
	__u8 daemon;		 /* 1: a vgw run process manages this interface */
	__u8 role;		 /* enum vgw_router_state */
	__u8 avg_id[4];		 /* router id of the AVG; 0.0.0.0 none known */
	__u8 target_weighted;	 /* 1: shares in proportion to weight, else equal */
	__u8 balance_on_packets; /* 1: shares of packets/s, else of bytes/s */
	__u32 hello_ms;
	__u32 hold_ms;
	__u32 poll_ms;
	__u32 pid; /* the vgw run process */
};

/*
 * map daemon_heartbeat: key __u32 0 -> value. Written only by the vgw_beat
 * program, which vgw run runs on every pass of its loop: it pushes
 * alive_until_ns a hold time ahead and re-arms a BPF timer for then. Should
 * the timer fire (the daemon died: the group has given this router's vMACs
 * away by then), it sets failed_safe, and the programs fail safe: XDP stops
 * accepting vMACs and tc stops answering ARP for the vIP. A flag, not a
 * clock read per frame: reading the clock costs more than the rest of the
 * XDP program. All zero under vgw load, whose data plane never expires.
 */
struct vgw_heartbeat {
	__u64 alive_until_ns; /* CLOCK_MONOTONIC ns; 0: no daemon to wait for */
	__u64 beat_ns;	      /* CLOCK_MONOTONIC ns of the daemon's last beat */
	__u32 hold_ms;	      /* the daemon's hold time */
	__u32 failed_safe;    /* 1: the timer fired, the data plane has stopped */
	struct bpf_timer timer;
};

#define VGW_MAX_ROUTERS 16

/* map group_routers (vgw run): key __u32 slot, 0 = this router -> value */
struct vgw_router_info {
	__u8 id[4]; /* 0.0.0.0: empty slot */
	__u8 priority;
	__u8 weight;
	__u8 state; /* enum vgw_router_state */
	__u8 live;
	__u64 heard_ms; /* CLOCK_MONOTONIC ms of its last accepted hello; 0 for this router */
	__u8 mismatch;	/* its settings that differ from this router's: 1 vip, 2 vmacs, 4 hello, 8
			   hold */
	__u8 outvoted;	/* slot 0: this router's settings are not the group's; it stands aside */
	__u8 pad[6];
};

/* map vmac_rates (vgw run): key __u32 index -> value; measured over the poll interval */
struct vgw_vmac_rate {
	__u64 pps;
	__u64 bps; /* bytes per second */
};

/*
 * ARP steering on the AVG (vgw run): what the tc program needs to choose a
 * vMAC for a new host, refreshed every poll by the daemon.
 * map steer_vmacs: key __u32 index -> value
 */
struct vgw_steer_vmac {
	__u64 load;	    /* measured rate, in the unit balancing uses */
	__u64 load_base;    /* the measured rate a smoothing window ago */
	__u64 answers_base; /* arp_answers[index] a smoothing window ago */
	__u32 router;	    /* owner's slot in steer_routers; VGW_MAX_ROUTERS: none */
	__u32 pad;
};

/* map steer_routers: key __u32 slot -> value */
struct vgw_steer_router {
	__u64 weight; /* target weight: 1 each for equal shares; 0: empty slot */
};

/* map arp_answers: key __u32 index -> __u64, broadcast ARPs answered with that vMAC */

/*
 * map steer_sums (vgw run): key __u32 slot -> value. Each router's vMACs and
 * their steering loads, summed when the daemon last published, so that an
 * answer reads the 16 routers and the chosen router's own vMACs, never all
 * 256. Answers given since are counted per router in router_answers (key
 * __u32 slot -> __u64, counted by tc), which the daemon read when it summed.
 * Slot VGW_STEER_GROUP of both holds the group's totals (the routers that own
 * a vMAC; weight: of those with a weight), so one pass over the routers ranks
 * them.
 */
#define VGW_STEER_GROUP VGW_MAX_ROUTERS
struct vgw_steer_sum {
	__u64 load;	     /* its vMACs' steering loads (vgw_steer_load) */
	__u64 answers;	     /* its vMACs' arp_answers */
	__u64 answered_base; /* router_answers[slot] as read with them */
	__u64 weight;	     /* its target weight (steer_routers); 0: takes no part */
	__u32 n_vmacs;	     /* entries in vmacs[]; 0: the router owns none */
	__u32 pad;
	__u16 vmacs[VGW_MAX_VMACS]; /* its vMACs' indices, in key order */
};

/* map hello_counters (vgw run): key __u32 0 -> value */
struct vgw_hello_counters {
	__u64 sent;
	__u64 received; /* accepted */
	__u64 bad_ttl;	/* not sent from the link (TTL below 255) */
	__u64 truncated;
	__u64 oversized;
	__u64 bad_magic;
	__u64 bad_version;
	__u64 malformed;
	__u64 wrong_group;
	__u64 no_auth;
	__u64 bad_auth;
	__u64 unexpected_auth;
	__u64 replayed;
	__u64 too_many_peers;
};

/* map arp_probes (LRU): a host's unicast ARP probe for the vIP, to answer it with the same vMAC */
struct vgw_arp_asker {
	__u8 mac[6];
	__u8 pad[2];
	__u8 ip[4];
};

struct vgw_arp_probe {
	__u64 seen_ns; /* bpf_ktime_get_ns() when the probe arrived */
	__u32 vmac_index;
	__u32 pad;
};

/* A remembered probe steers only the reply that follows it at once. */
#define VGW_ARP_PROBE_TTL_NS 1000000000ULL
#define VGW_ARP_PROBES_MAX   4096

/* map arp_counters (per-CPU): key __u32 0 -> value */
struct vgw_arp_counters {
	__u64 probes_remembered; /* unicast ARP requests for the vIP to an owned vMAC */
	__u64 replies_probe;	 /* replies given the vMAC the host probed */
	__u64 replies_avg;	 /* broadcast-ARP replies given a chosen vMAC (AVG) */
	__u64 replies_dropped;	 /* replies for the vIP suppressed (not the AVG) */
	__u64 requests_dropped;	 /* ARP requests with the vIP as sender, suppressed */
	__u64 no_vmac;		 /* AVG reply dropped: no active vMAC to give */
	__u64 pkt_type_fixed;	 /* rewritten frames re-marked PACKET_HOST at TC ingress */
	__u64 replies_failsafe;	 /* replies for the vIP suppressed: the daemon is gone */
};

/*
 * IPv6 Neighbor Discovery, the twin of ARP above. map nd_probes (LRU): a
 * host's unicast NS for a virtual address to an owned vMAC (NUD), so the
 * answer keeps that vMAC.
 */
struct vgw_nd_asker {
	__u8 mac[6];
	__u8 pad[2];
	__u8 ip6[16];
};

/* map nd_probes: key struct vgw_nd_asker -> struct vgw_arp_probe (the same TTL) */
/* map nd_hosts (LRU): key __u64 host MAC (6 bytes, zero-padded) -> ktime of the last NA answered */

/* map nd_counters (per-CPU): key __u32 0 -> value */
struct vgw_nd_counters {
	__u64 probes_remembered; /* unicast NS for a virtual address to an owned vMAC */
	__u64 replies_probe;	 /* NAs given the vMAC the host probed */
	__u64 replies_avg;	 /* NAs to a multicast NS given a chosen vMAC (AVG) */
	__u64 replies_plain; /* NAs without a link-layer option (NUD answers), passed as they are */
	__u64 replies_dropped;	   /* NAs for a virtual address suppressed (not the AVG) */
	__u64 no_vmac;		   /* AVG NA dropped: no active vMAC to give */
	__u64 replies_failsafe;	   /* NAs suppressed: the daemon is gone */
	__u64 unsolicited_dropped; /* unsolicited NAs for a virtual address */
	__u64 malformed_dropped;   /* NAs for a virtual address vgw cannot parse */
	__u64 ns_source_fixed;	  /* NS from a virtual address re-sourced from the own link-local */
	__u64 ra_sllao_dropped;	  /* RAs from the virtual link-local with a link-layer option */
	__u64 ra_foreign_dropped; /* RAs offering another default router than the virtual one */
	__u64 ra_withdraw_dropped; /* RAs from the virtual link-local withdrawing it (lifetime 0) */
};

/*
 * map fwd_ports (devmap hash): key __u32 ifindex -> __u32 ifindex. The egress
 * interfaces the fast path may redirect to: those that take XDP frames
 * (ndo_xdp_xmit), kept in sync by vgw load and vgw run. Any other egress
 * takes the kernel's path.
 */
#define VGW_FWD_PORTS_MAX 64

/* Why the fast path left a frame to the kernel: the order of the fallback_* counters. */
enum vgw_fast_fallback {
	VGW_FAST_NOT_IP = 0,  /* neither IPv4 nor IPv6 (ARP, ...) */
	VGW_FAST_OPTIONS,     /* IPv4 options or an IPv6 hop-by-hop header */
	VGW_FAST_FRAGMENT,    /* a fragment */
	VGW_FAST_TTL,	      /* TTL or hop limit 1 or 0: the kernel sends time-exceeded */
	VGW_FAST_LOCAL,	      /* to this router, link-local or multicast */
	VGW_FAST_NO_NEIGH,    /* no neighbour entry for the next hop yet */
	VGW_FAST_UNREACHABLE, /* an unreachable, blackhole or prohibit route (or none) */
	VGW_FAST_MTU,	      /* above the egress MTU */
	VGW_FAST_NO_PORT,     /* the egress is not in fwd_ports (or is the LAN itself) */
	VGW_FAST_OTHER,	      /* forwarding disabled, a tunnel route, too short */
	VGW_FAST_N_FALLBACKS
};

/* map fast_counters (per-CPU): key __u32 0 -> value; all zero without --fast-path */
struct vgw_fast_counters {
	__u64 forwarded_packets; /* redirected in XDP */
	__u64 forwarded_bytes;
	/* owned frames left to the kernel, by enum vgw_fast_fallback */
	__u64 fallback_not_ip;
	__u64 fallback_options;
	__u64 fallback_fragment;
	__u64 fallback_ttl;
	__u64 fallback_local;
	__u64 fallback_no_neigh;
	__u64 fallback_unreachable;
	__u64 fallback_mtu;
	__u64 fallback_no_port;
	__u64 fallback_other;
};

/* fallback_* by reason, named in bpftool's dump */
#define VGW_FAST_FALLBACK(fc, reason) ((&(fc)->fallback_not_ip)[reason])
_Static_assert(sizeof(struct vgw_fast_counters) == (2 + VGW_FAST_N_FALLBACKS) * 8,
	       "a fallback_* counter per enum vgw_fast_fallback");

/*
 * Connection handoff (vgw run --handoff-ms). After a vMAC moved here from a
 * live router, frames to it of flows this router's conntrack does not know
 * (and that do not open one) are sent on to that router's own MAC for a
 * while, so its NAT and firewall state keeps serving them.
 * map handoff_table: key __u32 index -> value; the entry counts while the
 * vMAC's vmac_table entry has VGW_VMAC_F_HANDOFF.
 */
struct vgw_handoff {
	__u8 mac[6]; /* the previous owner's own MAC: where unknown flows go */
	__u8 pad[2];
	__u8 to_id[4]; /* its router id */
	__u32 pad2;
	__u64 until_ms; /* CLOCK_MONOTONIC ms when the window ends */
	__u64 start_ms; /* ... and when it began */
};

/* map handoff_counters (per-CPU): key __u32 index -> value */
struct vgw_handoff_counters {
	__u64 sent_packets; /* frames to this vMAC sent on to the previous owner */
	__u64 sent_bytes;
	__u64 kept_packets;	/* frames in a window this router forwarded: known or new flows */
	__u64 received_packets; /* frames another router handed off here (their vMAC as source) */
	__u64 received_bytes;
};

/*
 * map handoff_flows (LRU hash): the flows other routers hand off to this one,
 * so that a graceful stop can wait for them (--drain-ms). Addresses of IPv4
 * flows are in the first 4 bytes.
 */
struct vgw_flow {
	__u8 family; /* 4 or 6 */
	__u8 proto;  /* IPPROTO_TCP or IPPROTO_UDP */
	__be16 sport;
	__be16 dport;
	__u16 pad;
	__u8 saddr[16];
	__u8 daddr[16];
};

struct vgw_flow_seen {
	__u64 last_ns; /* bpf_ktime_get_ns() of its last frame */
	__u64 packets;
	__u16 vmac_index; /* the vMAC the host sent it to */
	__u8 closed;	  /* a FIN or RST went by */
	__u8 pad[5];
};

#define VGW_HANDOFF_FLOWS_MAX 65536

/* Attach identity on the interface, so unload removes only what is ours. */
#define VGW_TC_HANDLE	0x7667
#define VGW_TC_PRIORITY 0x7667
#define VGW_PIN_ROOT	"/sys/fs/bpf/vgw"

#endif /* VGW_COMMON_H */
