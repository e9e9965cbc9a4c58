// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw run: sockets, timers and maps around the pure group state (group.c).
 * Every hello interval it ticks the group, applies the table to the data
 * plane and sends a hello; a hello that arrives is applied at once.
 */
#include <arpa/inet.h>
#include <math.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "group.h"
#include "hello.h"
#include "log.h"
#include <bpf/bpf.h>

#include "announce.h"
#include "balance.h"
#include "maps.h"
#include "oneshot.h"

#define POLL_MS		   1000	 /* how often rates are measured */
#define REFRESH_MS	   60000 /* owners re-announce vMACs well within a bridge's 300 s ageing */
#define ANSWERS_HIST	   64	 /* polls of ARP answer counts kept for the herd protection */
#define MAX_RATES_IN_HELLO 90	 /* 90 x 14 bytes keeps a hello in one frame */

struct daemon {
	struct vgw_cli conf;
	int argc;
	char **argv;
	struct vgw_key key;
	struct vgw_maps m;
	int ifindex;
	__u8 router_id[4];
	struct vgw_group g;
	int sock;
	int sigfd;
	int pkt_fd; /* for vMAC announces */
	uint64_t seq;
	uint64_t next_tick, next_poll, next_refresh;
	uint32_t sent_epoch;
	struct vgw_vmac_entry cache[VGW_VMAC_SLOTS];
	uint64_t reannounce_at[VGW_VMAC_SLOTS]; /* a gained vMAC is announced twice */
	struct vgw_vmac_counters last[VGW_VMAC_SLOTS];
	uint64_t last_poll;
	struct vgw_vmac_rate rates[VGW_VMAC_SLOTS];
	struct vgw_hello_counters counters;
	struct vgw_router_info routers[VGW_MAX_ROUTERS];
	uint64_t leave_deadline, handoff_at;
	bool link_down;
	bool stop;
	/* balancing */
	double smooth_pps[VGW_VMAC_SLOTS], smooth_bps[VGW_VMAC_SLOTS];
	bool measured[VGW_VMAC_SLOTS];
	uint64_t cooldown_until[VGW_VMAC_SLOTS];
	uint64_t off_since; /* since when a router has been off target beyond the threshold */
	unsigned int balance_rounds;
	/* arp_answers per vMAC at each of the last polls, a smoothing window's worth */
	uint64_t answers_hist[ANSWERS_HIST][VGW_VMAC_SLOTS];
	uint64_t loads_hist[ANSWERS_HIST][VGW_VMAC_SLOTS];
	unsigned int hist_at;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The sequence starts from the wall clock, so it keeps growing across restarts. */
static uint64_t seq_start(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static const char *state_name(uint8_t s)
{
	static const char *const names[] = { "init", "listen", "standby", "avg", "leaving" };

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}

static int read_key(const char *path, struct vgw_key *key)
{
	uint8_t buf[VGW_KEY_MAX + 2];
	size_t n;
	FILE *f;

	memset(key, 0, sizeof(*key));
	if (!path[0])
		return 0;
	f = fopen(path, "r");
	if (!f) {
		pr_warn("vgw: error: cannot read key file %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	if (n == 0 || n > VGW_KEY_MAX) {
		pr_warn("vgw: error: key file %s must hold 1 to %d bytes\n", path, VGW_KEY_MAX);
		return -1;
	}
	key->len = n;
	memcpy(key->bytes, buf, n);
	return 0;
}

static int open_socket(const struct daemon *d)
{
	const struct vgw_cli *c = &d->conf;
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(c->port) };
	struct ip_mreqn mreq = { .imr_multiaddr = c->mcast_addr, .imr_ifindex = d->ifindex };
	int one = 1, ttl = 255, zero = 0, tos = 0xc0;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* hellos from the link only: sent with TTL 255, accepted only with TTL 255 */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->iface, strlen(c->iface)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq, sizeof(mreq)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)) ||
	    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero)) ||
	    setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void group_config_from(const struct daemon *d, struct vgw_group_config *gc)
{
	const struct vgw_cli *c = &d->conf;

	memset(gc, 0, sizeof(*gc));
	gc->group = c->group;
	memcpy(&gc->self_id, d->router_id, 4);
	gc->priority = c->priority;
	gc->weight = c->weight;
	gc->preempt = c->preempt;
	gc->preempt_delay_ms = c->preempt_delay_ms;
	gc->hello_ms = c->hello_ms;
	gc->hold_ms = c->hold_ms;
	gc->n_vmacs = c->n_vmacs;
	gc->release_grace_ms = c->grace_ms;
	gc->weight_lower = c->weight_lower;
	gc->weight_upper = c->weight_upper;
}

/* Up and with carrier; a missing interface is down. fd: any AF_INET socket. */
static bool link_up(int fd, const char *ifname)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		return false;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

/* GLBP-style tracking: each tracked interface that is down costs its decrement. */
static uint8_t tracked_weight(const struct daemon *d)
{
	const struct vgw_cli *c = &d->conf;
	int w = (int)c->weight;
	unsigned int i;

	for (i = 0; i < c->n_tracks; i++)
		if (!link_up(d->sock, c->tracks[i]))
			w -= (int)c->track_decrement;
	return w < 0 ? 0 : (uint8_t)w;
}

/*
 * A router cut off from the LAN would otherwise become an AVG of one and
 * claim every vMAC, and on its return fight the real AVG with that table.
 * Like GLBP's Init state: while down it owns nothing and forgets the group;
 * back up, it starts over by listening.
 */
static bool track_own_link(struct daemon *d, uint64_t now)
{
	bool up = link_up(d->sock, d->conf.iface);

	if (up && d->link_down) {
		pr_info("vgw: %s: link up, rejoining the group\n", d->conf.iface);
		group_init(&d->g, &d->g.cfg, now);
		d->link_down = false;
	} else if (!up && !d->link_down) {
		pr_info("vgw: %s: link down, leaving the group until it is back\n", d->conf.iface);
		group_init(&d->g, &d->g.cfg, now);
		d->g.state = VGW_STATE_INIT;
		d->link_down = true;
	}
	return up;
}

static void publish_config(struct daemon *d)
{
	struct vgw_config cfg;
	__u8 avg = d->g.state == VGW_STATE_AVG;

	if (vgw_config_get(&d->m, &cfg))
		return;
	if (cfg.daemon && cfg.avg == avg && cfg.role == d->g.state &&
	    !memcmp(cfg.avg_id, &d->g.avg_id, 4) && cfg.hello_ms == d->conf.hello_ms &&
	    cfg.hold_ms == d->conf.hold_ms && cfg.lb_method == d->conf.lb &&
	    cfg.target_weighted == d->conf.target_weighted &&
	    cfg.balance_on_packets == d->conf.balance_on_packets)
		return;
	if (cfg.role != d->g.state || !cfg.daemon)
		pr_info("vgw: %s: role %s\n", d->conf.iface, state_name(d->g.state));
	cfg.daemon = 1;
	cfg.avg = avg;
	cfg.role = d->g.state;
	memcpy(cfg.avg_id, &d->g.avg_id, 4);
	cfg.hello_ms = d->conf.hello_ms;
	cfg.hold_ms = d->conf.hold_ms;
	cfg.lb_method = d->conf.lb;
	cfg.target_weighted = d->conf.target_weighted;
	cfg.balance_on_packets = d->conf.balance_on_packets;
	vgw_config_set(&d->m, &cfg);
}

static void publish_routers(struct daemon *d)
{
	struct vgw_router_info r[VGW_MAX_ROUTERS] = { 0 };
	unsigned int i;

	memcpy(r[0].id, d->router_id, 4);
	r[0].priority = d->conf.priority;
	r[0].weight = d->g.weight;
	r[0].state = d->g.state;
	r[0].live = 1;
	for (i = 0; i < d->g.n_peers && i + 1 < VGW_MAX_ROUTERS; i++) {
		const struct vgw_peer *p = &d->g.peers[i];

		memcpy(r[i + 1].id, &p->id, 4);
		r[i + 1].priority = p->priority;
		r[i + 1].weight = p->weight;
		r[i + 1].state = p->state;
		r[i + 1].live = p->live;
		r[i + 1].heard_ms = p->heard_ms;
	}
	for (i = 0; i < VGW_MAX_ROUTERS; i++)
		if (memcmp(&r[i], &d->routers[i], sizeof(r[i])) &&
		    !vgw_map_set(d->m.group_routers, i, &r[i]))
			d->routers[i] = r[i];
}

/* Make the data plane do what the group's table says. */
static void apply(struct daemon *d, uint64_t now)
{
	uint16_t i;

	for (i = 1; i <= d->conf.n_vmacs; i++) {
		struct vgw_vmac_entry *e = &d->cache[i];
		uint8_t want = group_vmac_state(&d->g, i, now), was = e->state;

		if (want == was && !memcmp(e->owner, &d->g.owner[i], 4))
			continue;
		e->state = want;
		memcpy(e->owner, &d->g.owner[i], 4);
		vgw_vmac_set(&d->m, i, e);
		if (want == VGW_VMAC_OWNED && was != VGW_VMAC_OWNED) {
			vgw_vmac_claim(d->ifindex, d->pkt_fd, &d->m, i, d->router_id);
			/* again soon: the previous owner's last announce may arrive after ours */
			d->reannounce_at[i] = now + d->conf.hello_ms;
		} else if (want == VGW_VMAC_FOREIGN && was != VGW_VMAC_FOREIGN)
			vgw_vmac_unclaim(d->ifindex, &d->m, i);
		vgw_vmac_get(&d->m, i, e); /* claim/unclaim keep their bookkeeping there */
		if (want != was)
			pr_info("vgw: %s: vMAC %u %s\n", d->conf.iface, i,
				want == VGW_VMAC_OWNED	     ? "owned"
				: want == VGW_VMAC_RELEASING ? "releasing"
							     : "foreign");
	}
	publish_config(d);
	publish_routers(d);
}

static void send_hello(struct daemon *d);

/*
 * Rates of the vMACs this router forwards, from its counters, smoothed with
 * an exponential moving average over --smoothing-ms. A vMAC that just
 * arrived starts from its previous owner's last report, so it does not look
 * idle while the average catches up.
 */
static void measure_rates(struct daemon *d, uint64_t now)
{
	uint64_t dt = now - d->last_poll;
	double alpha = d->conf.smoothing_ms ? 1.0 - exp(-(double)dt / d->conf.smoothing_ms) : 1.0;
	uint16_t i;

	for (i = 1; i <= d->conf.n_vmacs; i++) {
		struct vgw_vmac_counters c;
		bool ours = d->cache[i].state == VGW_VMAC_OWNED ||
			    d->cache[i].state == VGW_VMAC_RELEASING;

		if (vgw_vmac_counters_sum(&d->m, i, &c))
			continue;
		if (ours && d->last_poll && dt) {
			double pps = (double)(c.packets - d->last[i].packets) * 1000.0 / dt;
			double bps = (double)(c.bytes - d->last[i].bytes) * 1000.0 / dt;

			if (!d->measured[i]) {
				d->smooth_pps[i] = d->g.rates[i].pps;
				d->smooth_bps[i] = d->g.rates[i].bps;
				d->measured[i] = true;
			}
			d->smooth_pps[i] += alpha * (pps - d->smooth_pps[i]);
			d->smooth_bps[i] += alpha * (bps - d->smooth_bps[i]);
			d->g.rates[i] =
				(struct vgw_vmac_rate){ (uint64_t)(d->smooth_pps[i] + 0.5),
							(uint64_t)(d->smooth_bps[i] + 0.5) };
		} else if (!ours) {
			d->measured[i] = false;
		}
		d->last[i] = c;
		/* the group's view: ours measured, the others' as their owners report them */
		if (memcmp(&d->g.rates[i], &d->rates[i], sizeof(d->rates[i])) &&
		    !vgw_map_set(d->m.vmac_rates, i, &d->g.rates[i]))
			d->rates[i] = d->g.rates[i];
	}
	d->last_poll = now;
}

/* Hosts the AVG answered in the last ten minutes: the herd protection sizes a host by them. */
static uint64_t recent_hosts(const struct daemon *d)
{
	struct timespec ts;
	uint64_t n = 0, now_ns, seen;
	__u32 key, next;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	for (err = bpf_map_get_next_key(d->m.arp_hosts, NULL, &next); !err;
	     err = bpf_map_get_next_key(d->m.arp_hosts, &key, &next)) {
		key = next;
		if (!bpf_map_lookup_elem(d->m.arp_hosts, &key, &seen) &&
		    now_ns - seen < 600ULL * 1000000000ULL)
			n++;
	}
	return n;
}

/*
 * What the tc program needs to steer new hosts: each router's target weight,
 * each vMAC's load and owner, the answers counted so far (provisional load
 * starts from them) and one host's mean load.
 */
static void publish_steering(struct daemon *d)
{
	uint64_t total = 0, hosts = recent_hosts(d);
	/*
	 * An answered host counts as provisional load until the smoothed rates
	 * have caught up with its traffic (three time constants): so the bases
	 * are the load and the answer count that long ago, not at the last poll.
	 */
	unsigned int window = 3 * d->conf.smoothing_ms / d->conf.poll_ms + 1;
	unsigned int slot = d->hist_at % ANSWERS_HIST, back;
	struct vgw_config cfg;
	unsigned int r;
	__u32 v;

	if (window >= ANSWERS_HIST)
		window = ANSWERS_HIST - 1;
	back = (d->hist_at >= window ? d->hist_at - window : 0) % ANSWERS_HIST;
	for (v = 1; v <= d->conf.n_vmacs; v++) {
		vgw_map_get(d->m.arp_answers, v, &d->answers_hist[slot][v]);
		d->loads_hist[slot][v] =
			d->conf.balance_on_packets ? d->g.rates[v].pps : d->g.rates[v].bps;
	}
	d->hist_at++;

	for (r = 0; r < VGW_MAX_ROUTERS; r++) {
		struct vgw_steer_router sr = { 0 };

		if (r < d->g.n_members)
			sr.weight = d->conf.target_weighted ? d->g.member_weights[r] : 1;
		vgw_map_set(d->m.steer_routers, r, &sr);
	}
	for (v = 1; v <= d->conf.n_vmacs; v++) {
		struct vgw_steer_vmac sv = { .router = VGW_MAX_ROUTERS };

		sv.load = d->conf.balance_on_packets ? d->g.rates[v].pps : d->g.rates[v].bps;
		sv.answers_base = d->answers_hist[back][v];
		sv.load_base = d->loads_hist[back][v];
		for (r = 0; r < d->g.n_members; r++)
			if (d->g.members[r] == d->g.owner[v])
				sv.router = r;
		total += sv.load;
		vgw_map_set(d->m.steer_vmacs, v, &sv);
	}
	if (vgw_config_get(&d->m, &cfg))
		return;
	/* with nothing measured yet, one unit per host still spreads a burst */
	cfg.host_load = total && hosts ? total / hosts : 1;
	if (!cfg.host_load)
		cfg.host_load = 1;
	vgw_config_set(&d->m, &cfg);
}

static void shares_str(char *buf, size_t len, const double *v, unsigned int n)
{
	size_t off = 0;
	unsigned int r;

	buf[0] = '\0';
	for (r = 0; r < n && off < len; r++)
		off += snprintf(buf + off, len - off, "%s%.1f", r ? "/" : "", v[r]);
}

/* The AVG's balance round: after a router has stayed off target long enough, move vMACs. */
static void balance_round(struct daemon *d, uint64_t now)
{
	struct balance_input in = { 0 };
	double share[VGW_MAX_ROUTERS], target[VGW_MAX_ROUTERS], after[VGW_MAX_ROUTERS], worst = 0;
	char before_s[128], after_s[128], target_s[128];
	struct balance_plan plan;
	uint64_t total_pps = 0;
	unsigned int r, v, k;

	if (d->g.state != VGW_STATE_AVG || d->g.leaving || d->g.n_members < 2) {
		d->off_since = 0;
		return;
	}
	in.n_routers = d->g.n_members;
	for (r = 0; r < in.n_routers; r++)
		in.routers[r] = (struct balance_router){ d->g.members[r], d->g.member_weights[r] };
	for (v = 1; v <= d->conf.n_vmacs; v++)
		if (d->g.owner[v])
			in.vmacs[in.n_vmacs++] = (struct balance_vmac){
				v, d->g.owner[v],
				d->conf.balance_on_packets ? d->g.rates[v].pps : d->g.rates[v].bps,
				now < d->cooldown_until[v]
			};
	in.target = d->conf.target_weighted ? BALANCE_WEIGHTED : BALANCE_EQUAL;
	in.max_moves = d->conf.max_moves;
	in.tolerance_pp = 1.0;
	balance_shares(&in, share, target);
	for (r = 0; r < in.n_routers; r++)
		worst = fmax(worst, fabs(share[r] - target[r]));
	for (v = 1; v <= d->conf.n_vmacs; v++)
		total_pps += d->g.rates[v].pps;
	/* a handful of packets makes any split look lopsided: no moves on noise */
	if (worst <= d->conf.balance_threshold || total_pps < d->conf.balance_min_pps) {
		d->off_since = 0;
		return;
	}
	if (!d->off_since)
		d->off_since = now;
	if (now - d->off_since < d->conf.balance_hold_ms)
		return;
	d->off_since = 0; /* the next round waits a hold time again: measurements catch up */
	balance_plan(&in, &plan);
	if (!plan.n_moves)
		return;
	for (k = 0; k < plan.n_moves; k++)
		for (v = 0; v < in.n_vmacs; v++)
			if (in.vmacs[v].index == plan.moves[k].index)
				in.vmacs[v].owner = plan.moves[k].to;
	balance_shares(&in, after, target);
	shares_str(before_s, sizeof(before_s), share, in.n_routers);
	shares_str(after_s, sizeof(after_s), after, in.n_routers);
	shares_str(target_s, sizeof(target_s), target, in.n_routers);
	for (k = 0; k < plan.n_moves; k++) {
		const struct balance_move *m = &plan.moves[k];
		char from[INET_ADDRSTRLEN], to[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &m->from, from, sizeof(from));
		inet_ntop(AF_INET, &m->to, to, sizeof(to));
		pr_info("vgw: %s: balance round %u: vMAC %u %s -> %s (shares %s -> %s, targets "
			"%s)\n",
			d->conf.iface, d->balance_rounds + 1, m->index, from, to, before_s, after_s,
			target_s);
		group_move(&d->g, m->index, m->to, now);
		d->cooldown_until[m->index] = now + d->conf.move_cooldown_ms;
	}
	d->balance_rounds++;
	apply(d, now);
	send_hello(d);
}

static void send_hello(struct daemon *d)
{
	uint8_t buf[VGW_HELLO_MAX];
	struct vgw_hello h;
	unsigned int i;
	int len;

	group_hello(&d->g, &h);
	h.seq = ++d->seq;
	for (i = 1; i <= d->conf.n_vmacs && h.n_rates < MAX_RATES_IN_HELLO; i++)
		if (d->g.owner[i] == d->g.cfg.self_id)
			h.rates[h.n_rates++] =
				(struct vgw_hello_rate){ i, (uint32_t)d->rates[i].pps,
							 d->rates[i].bps };
	len = hello_encode(&h, &d->key, buf, sizeof(buf));
	if (len < 0) {
		h.n_rates = 0;
		len = hello_encode(&h, &d->key, buf, sizeof(buf));
	}
	if (len < 0)
		return;
	if (d->conf.n_peers == 0) {
		struct sockaddr_in to = { .sin_family = AF_INET,
					  .sin_port = htons(d->conf.port),
					  .sin_addr = d->conf.mcast_addr };

		if (sendto(d->sock, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) == len)
			d->counters.sent++;
	}
	for (i = 0; i < d->conf.n_peers; i++) {
		struct sockaddr_in to = { .sin_family = AF_INET,
					  .sin_port = htons(d->conf.port),
					  .sin_addr = d->conf.peers[i] };

		if (sendto(d->sock, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) == len)
			d->counters.sent++;
	}
	d->sent_epoch = d->g.epoch;
	vgw_map_set(d->m.hello_counters, 0, &d->counters);
}

static bool releasing_any(const struct daemon *d, uint64_t now)
{
	uint16_t i;

	for (i = 1; i <= d->conf.n_vmacs; i++)
		if (group_vmac_state(&d->g, i, now) == VGW_VMAC_RELEASING)
			return true;
	return false;
}

static bool live_peers(const struct daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->g.n_peers; i++)
		if (d->g.peers[i].live)
			return true;
	return false;
}

/* A graceful stop ends once others forward all our vMACs and the grace period is over. */
static void leave_progress(struct daemon *d, uint64_t now)
{
	bool emptied = !group_owns_any(&d->g) && !releasing_any(d, now);

	if (!live_peers(d) || now >= d->leave_deadline) {
		if (live_peers(d))
			pr_warn("vgw: %s: stopping before the group took over all vMACs\n",
				d->conf.iface);
		d->stop = true;
	} else if (d->g.state == VGW_STATE_AVG && emptied) {
		group_handoff(&d->g);
		d->handoff_at = now;
	} else if (d->handoff_at && now - d->handoff_at >= 2 * d->conf.hello_ms) {
		d->stop = true;
	} else if (!d->handoff_at && d->g.state != VGW_STATE_AVG && emptied) {
		d->stop = true;
	}
}

static void reannounce(struct daemon *d, uint64_t now)
{
	uint16_t i;

	for (i = 1; i <= d->conf.n_vmacs; i++) {
		if (!d->reannounce_at[i] || now < d->reannounce_at[i])
			continue;
		d->reannounce_at[i] = 0;
		if (d->cache[i].state == VGW_VMAC_OWNED)
			vgw_vmac_claim(d->ifindex, d->pkt_fd, &d->m, i, d->router_id);
	}
}

static void tick(struct daemon *d, uint64_t now)
{
	if (!track_own_link(d, now)) {
		apply(d, now); /* everything foreign, no AVG */
		if (d->g.leaving || d->stop)
			d->stop = true;
		return;
	}
	d->g.weight = tracked_weight(d);
	group_tick(&d->g, now);
	if (d->g.leaving)
		leave_progress(d, now);
	apply(d, now);
	reannounce(d, now);
	send_hello(d);
}

static void count_drop(struct daemon *d, int reason)
{
	__u64 *slot[] = {
		[VGW_HELLO_TRUNCATED] = &d->counters.truncated,
		[VGW_HELLO_OVERSIZED] = &d->counters.oversized,
		[VGW_HELLO_BAD_MAGIC] = &d->counters.bad_magic,
		[VGW_HELLO_BAD_VERSION] = &d->counters.bad_version,
		[VGW_HELLO_MALFORMED] = &d->counters.malformed,
		[VGW_HELLO_WRONG_GROUP] = &d->counters.wrong_group,
		[VGW_HELLO_NO_AUTH] = &d->counters.no_auth,
		[VGW_HELLO_BAD_AUTH] = &d->counters.bad_auth,
		[VGW_HELLO_UNEXPECTED_AUTH] = &d->counters.unexpected_auth,
		[VGW_DROP_REPLAY] = &d->counters.replayed,
		[VGW_DROP_TOO_MANY_PEERS] = &d->counters.too_many_peers,
	};

	if (reason > 0 && reason < (int)(sizeof(slot) / sizeof(slot[0])) && slot[reason])
		(*slot[reason])++;
}

static void receive(struct daemon *d, uint64_t now)
{
	bool accepted = false;

	for (;;) {
		uint8_t buf[VGW_HELLO_MAX + 1];
		char ctl[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { buf, sizeof(buf) };
		struct msghdr msg = { .msg_iov = &iov,
				      .msg_iovlen = 1,
				      .msg_control = ctl,
				      .msg_controllen = sizeof(ctl) };
		struct cmsghdr *c;
		struct vgw_hello h;
		int ttl = -1, err;
		ssize_t n;

		n = recvmsg(d->sock, &msg, 0);
		if (n < 0)
			break;
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
				memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
		if (ttl != 255) {
			d->counters.bad_ttl++;
			continue;
		}
		err = hello_decode(buf, (size_t)n, d->conf.group, &d->key, &h);
		if (!err)
			err = group_receive(&d->g, &h, now);
		if (err) {
			count_drop(d, err);
			pr_debug("vgw: hello dropped: %d\n", err);
			continue;
		}
		if (h.router_id != d->g.cfg.self_id) {
			d->counters.received++;
			accepted = true;
		}
	}
	if (!accepted || d->link_down)
		return;
	group_tick(&d->g, now);
	apply(d, now);
	/* a new table goes out at once, not at the next interval */
	if (d->g.state == VGW_STATE_AVG && d->g.epoch != d->sent_epoch)
		send_hello(d);
	vgw_map_set(d->m.hello_counters, 0, &d->counters);
}

static void start_leaving(struct daemon *d, uint64_t now)
{
	if (d->g.leaving)
		return;
	pr_info("vgw: %s: leaving the group\n", d->conf.iface);
	group_leave(&d->g);
	d->leave_deadline = now + 2 * d->conf.hold_ms + d->conf.grace_ms + 1000;
	send_hello(d);
}

/* SIGHUP: what can change while running does; the rest waits for a restart. */
static void reload(struct daemon *d)
{
	struct vgw_cli c;
	struct vgw_key key;
	char err[256];

	if (cli_parse(d->argc, d->argv, &c, err, sizeof(err))) {
		pr_warn("vgw: %s: reload failed, keeping the running config: %s\n", d->conf.iface,
			err);
		return;
	}
	if (strcmp(c.iface, d->conf.iface) || c.group != d->conf.group ||
	    c.vip.s_addr != d->conf.vip.s_addr || c.n_vmacs != d->conf.n_vmacs ||
	    c.port != d->conf.port || c.mcast_addr.s_addr != d->conf.mcast_addr.s_addr)
		pr_warn("vgw: %s: iface, group, vip, vmacs, mcast and port change on restart "
			"only\n",
			d->conf.iface);
	if (read_key(c.key_file, &key))
		return;
	strcpy(c.iface, d->conf.iface);
	c.group = d->conf.group;
	c.vip = d->conf.vip;
	c.n_vmacs = d->conf.n_vmacs;
	c.port = d->conf.port;
	c.mcast_addr = d->conf.mcast_addr;
	d->conf = c;
	d->key = key;
	group_config_from(d, &d->g.cfg);
	pr_info("vgw: %s: config reloaded\n", d->conf.iface);
}

static void handle_signals(struct daemon *d, uint64_t now)
{
	struct signalfd_siginfo si;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			reload(d);
		else if (d->link_down)
			d->stop = true; /* nobody to hand over to */
		else
			start_leaving(d, now);
	}
}

static int setup(struct daemon *d)
{
	struct vgw_group_config gc;
	struct vgw_config cfg;
	enum xdp_attach_mode mode;
	sigset_t mask;
	int err;
	uint16_t i;

	/* blocked from the start: a stop during setup is handled, not fatal */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if (read_key(d->conf.key_file, &d->key))
		return 1;
	if (vgw_dataplane_up(&d->conf, &mode))
		return 1;
	err = vgw_maps_open(d->conf.iface, &d->m);
	if (!err)
		err = vgw_config_get(&d->m, &cfg);
	if (err) {
		pr_warn("vgw: error: cannot open vgw's maps for %s: %s\n", d->conf.iface,
			strerror(-err));
		return -1;
	}
	memcpy(d->router_id, cfg.router_id, 4);
	if (!(d->router_id[0] | d->router_id[1] | d->router_id[2] | d->router_id[3])) {
		pr_warn("vgw: error: %s has no IPv4 address of its own to use as router id\n",
			d->conf.iface);
		return -1;
	}
	d->ifindex = if_nametoindex(d->conf.iface);
	d->pkt_fd = vmac_announce_socket();
	if (d->pkt_fd < 0) {
		pr_warn("vgw: error: cannot open a packet socket: %s\n", strerror(-d->pkt_fd));
		return -1;
	}
	d->sock = open_socket(d);
	if (d->sock < 0) {
		pr_warn("vgw: error: cannot open the hello socket on %s: %s\n", d->conf.iface,
			strerror(-d->sock));
		return -1;
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	d->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	for (i = 1; i <= d->conf.n_vmacs; i++)
		vgw_vmac_get(&d->m, i, &d->cache[i]);
	group_config_from(d, &gc);
	group_init(&d->g, &gc, mono_ms());
	d->seq = seq_start();
	pr_info("vgw: %s: running in group %u, vIP %s, router %u.%u.%u.%u, %s XDP\n", d->conf.iface,
		d->conf.group, inet_ntoa(d->conf.vip), d->router_id[0], d->router_id[1],
		d->router_id[2], d->router_id[3], mode == XDP_MODE_SKB ? "skb" : "native");
	return 0;
}

int vgw_cmd_run(const struct vgw_cli *cli, int argc, char **argv)
{
	struct daemon *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		return 1;
	d->conf = *cli;
	d->argc = argc;
	d->argv = argv;
	d->sock = d->sigfd = d->pkt_fd = -1;
	d->m = (struct vgw_maps)VGW_MAPS_INIT;
	ret = setup(d);
	if (ret == 0) {
		uint64_t now = mono_ms();

		d->next_tick = now;
		d->next_poll = now;
		d->next_refresh = now + REFRESH_MS;
		while (!d->stop) {
			struct pollfd pfd[2] = { { d->sock, POLLIN, 0 }, { d->sigfd, POLLIN, 0 } };
			int64_t wait;

			now = mono_ms();
			if (now >= d->next_poll) {
				measure_rates(d, now);
				balance_round(d, now);
				publish_steering(d);
				d->next_poll = now + d->conf.poll_ms;
			}
			if (now >= d->next_tick) {
				tick(d, now);
				d->next_tick += d->conf.hello_ms;
				if (d->next_tick <= now)
					d->next_tick = now + d->conf.hello_ms;
			}
			if (now >= d->next_refresh) {
				uint16_t i;

				for (i = 1; i <= d->conf.n_vmacs; i++)
					if (d->cache[i].state == VGW_VMAC_OWNED)
						vgw_vmac_claim(d->ifindex, d->pkt_fd, &d->m, i,
							       d->router_id);
				d->next_refresh = now + REFRESH_MS;
			}
			wait = (int64_t)d->next_tick - (int64_t)mono_ms();
			if (poll(pfd, 2, wait < 0 ? 0 : (int)wait) < 0 && errno != EINTR)
				break;
			now = mono_ms();
			if (pfd[1].revents & POLLIN)
				handle_signals(d, now);
			if (pfd[0].revents & POLLIN)
				receive(d, now);
		}
		pr_info("vgw: %s: stopped\n", d->conf.iface);
	}
	if (d->sock >= 0)
		close(d->sock);
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->pkt_fd >= 0)
		close(d->pkt_fd);
	vgw_maps_close(&d->m);
	if (ret <= 0)
		vgw_dataplane_down(d->conf.iface);
	free(d);
	return ret == 0 ? 0 : 1;
}
