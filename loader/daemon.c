// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw run: the event loop. Each iteration takes a snapshot of the world
 * (clock, hellos, links, signals, and the counters when a measurement is
 * due), lets decide.c turn it into decisions, and lets act.c apply them;
 * then it sleeps until a hello arrives or the next timer is due.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "act.h"
#include "adopt.h"
#include "announce.h"
#include "attach.h"
#include "clock.h"
#include "daemon.h"
#include "decide.h"
#include "fastpath.h"
#include "handoff.h"
#include "iface.h"
#include "kernel.h"
#include "lock.h"
#include "log.h"
#include "maps.h"
#include "metrics.h"
#include "oneshot.h"
#include "vgw_beat.skel.h"

#define HOSTS_RECENT_MS 600000 /* hosts answered this recently size a host's load */
#define FAST_PORTS_MS	1000   /* how often --fast-path re-reads which egress takes XDP */

struct daemon {
	struct vgw_cli conf;
	int argc;
	char **argv;
	struct vgw_maps m;
	struct vgw_beat *beat;
	struct vgw_metrics *metrics; /* --metrics, or NULL */
	int ifindex, sock, sigfd, pkt_fd;
	int lock_fd;	      /* held while we live: another vgw run on the interface is refused */
	int fast_watch_fd;    /* --fast-path: told when a device's XDP features change; or -1 */
	bool ready, stopping; /* told systemd */
	uint64_t acted_at;    /* ms: when the last decisions were applied */
	uint64_t fast_synced_at; /* ms: when fwd_ports was last brought up to date */
	bool veth_native;	 /* native XDP on a veth: XDP_TX needs the peer's consent */
	bool handoff_tx_told;	 /* handoff_tx_check() has logged its finding */
	/* the handoff is on by default, but conntrack was not loaded yet: wait for it */
	uint32_t handoff_waiting_ms; /* the --handoff-ms to use once it is; 0: not waiting */
	uint64_t handoff_checked_at; /* ms */
	struct vgw_decide dec;
	struct vgw_act act;
	struct vgw_snapshot snap;
	struct vgw_decisions out;
};

/* The sequence starts from the wall clock, so it keeps growing across restarts. */
static uint64_t seq_start(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
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

static int open_socket(const struct vgw_cli *c, int ifindex)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(c->port) };
	struct ip_mreqn mreq = { .imr_multiaddr = c->mcast_addr, .imr_ifindex = ifindex };
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

/*
 * The IPv6 twin: link-local multicast (or unicast peers), hop limit 255 both
 * ways, sent from this router's own link-local (act.c), never a virtual one.
 */
static int open_socket6(const struct vgw_cli *c, int ifindex)
{
	struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_port = htons(c->port) };
	struct ipv6_mreq mreq = { .ipv6mr_multiaddr = c->mcast6, .ipv6mr_interface = ifindex };
	int one = 1, hops = 255, zero = 0, tclass = 0xc0;
	int fd;

	fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, c->iface, strlen(c->iface)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mreq, sizeof(mreq)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tclass, sizeof(tclass))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Up and with carrier; a missing interface is down. fd: any socket. */
static bool link_up(int fd, const char *ifname)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		return false;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

/* Datagrams waiting on the hello socket, with their TTL, up to SNAP_MSGS. */
static void take_hellos(struct daemon *d, struct vgw_snapshot *s)
{
	while (s->n_msgs < SNAP_MSGS) {
		struct vgw_snap_msg *m = &s->msgs[s->n_msgs];
		char ctl[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { m->buf, sizeof(m->buf) };
		struct sockaddr_storage from = { 0 };
		struct msghdr msg = { .msg_name = &from,
				      .msg_namelen = sizeof(from),
				      .msg_iov = &iov,
				      .msg_iovlen = 1,
				      .msg_control = ctl,
				      .msg_controllen = sizeof(ctl) };
		struct cmsghdr *c;
		ssize_t n;

		n = recvmsg(d->sock, &msg, 0);
		if (n < 0)
			break;
		m->len = (size_t)n;
		m->ttl = -1;
		m->from_v6 = from.ss_family == AF_INET6;
		if (m->from_v6) {
			uint32_t w[4];

			memcpy(m->from6, &((struct sockaddr_in6 *)&from)->sin6_addr, 16);
			memcpy(w, m->from6, 16);
			m->from = w[0] ^ w[1] ^ w[2] ^ w[3];
		} else {
			m->from = ((struct sockaddr_in *)&from)->sin_addr.s_addr;
		}
		for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
			if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
			    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT))
				memcpy(&m->ttl, CMSG_DATA(c), sizeof(m->ttl));
		s->n_msgs++;
	}
}

/* Our XDP program still on the interface, and our pins still there. */
static bool dataplane_intact(const struct daemon *d)
{
	char path[256];
	struct stat st;

	return !vgw_pin_path(path, sizeof(path), d->conf.iface, "vgw_config") && !stat(path, &st) &&
	       vgw_xdp_attached(d->ifindex);
}

static void take_counters(struct daemon *d, struct vgw_snapshot *s)
{
	uint64_t v6_hosts, now_ns = vgw_mono_ns();
	uint16_t i;

	s->polled = true;
	for (i = 1; i <= d->conf.n_vmacs; i++)
		vgw_vmac_counters_sum(&d->m, i, &s->counters[i]);
	/* router_answers first, then the vMACs' counts at once: an answer given
	 * between the two reads counts twice until the next poll, never not at all */
	for (i = 0; i <= VGW_STEER_GROUP; i++)
		vgw_map_get(d->m.router_answers, i, &s->router_answers[i]);
	for (i = 1; i <= d->conf.n_vmacs; i++)
		vgw_map_get(d->m.arp_answers, i, &s->answers[i]);
	/* dual-stack hosts are in both: the larger count, not the sum */
	s->hosts = vgw_arp_hosts_recent(&d->m, now_ns, HOSTS_RECENT_MS * 1000000ULL);
	v6_hosts = vgw_nd_hosts_recent(&d->m, now_ns, HOSTS_RECENT_MS * 1000000ULL);
	if (v6_hosts > s->hosts)
		s->hosts = v6_hosts;
	vgw_nd_counters_sum(&d->m, &s->nd);
	if (!d->conf.handoff_ms)
		return;
	for (i = 1; i <= d->conf.n_vmacs; i++)
		vgw_handoff_counters_sum(&d->m, i, &s->handoff[i]);
	s->handoff_flows = handoff_flows_count(&d->m, now_ns);
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
	    c.port != d->conf.port || c.mcast_addr.s_addr != d->conf.mcast_addr.s_addr ||
	    c.metrics_addr.s_addr != d->conf.metrics_addr.s_addr ||
	    c.metrics_port != d->conf.metrics_port ||
	    memcmp(&c.vip6, &d->conf.vip6, sizeof(c.vip6)) ||
	    memcmp(&c.vip6_global, &d->conf.vip6_global, sizeof(c.vip6_global)) ||
	    memcmp(&c.mcast6, &d->conf.mcast6, sizeof(c.mcast6)) ||
	    c.router_id.s_addr != d->conf.router_id.s_addr || c.hello_v6 != d->conf.hello_v6 ||
	    c.fast_path != d->conf.fast_path ||
	    (c.handoff_asked && !c.handoff_ms != !d->conf.handoff_ms))
		pr_warn("vgw: %s: iface, group, vip, vip6, vip6-global, router-id, vmacs, mcast, "
			"fast-path, handoff on or off, the hellos' IP version, port and metrics "
			"change on restart only\n",
			d->conf.iface);
	if (read_key(c.key_file, &key))
		return;
	strcpy(c.iface, d->conf.iface);
	c.group = d->conf.group;
	c.vip = d->conf.vip;
	c.n_vmacs = d->conf.n_vmacs;
	c.port = d->conf.port;
	c.mcast_addr = d->conf.mcast_addr;
	c.vip6 = d->conf.vip6;
	c.vip6_global = d->conf.vip6_global;
	c.mcast6 = d->conf.mcast6;
	c.mcast_v6 = d->conf.mcast_v6;
	c.router_id = d->conf.router_id;
	c.fast_path = d->conf.fast_path;
	if (!c.handoff_ms != !d->conf.handoff_ms) /* the XDP program has the handoff or not */
		c.handoff_ms = d->conf.handoff_ms;
	if (c.hello_v6 != d->conf.hello_v6) { /* the socket is of one family: keep its peers */
		c.hello_v6 = d->conf.hello_v6;
		c.n_peers = d->conf.n_peers;
		c.n_peers6 = d->conf.n_peers6;
		memcpy(c.peers, d->conf.peers, sizeof(c.peers));
		memcpy(c.peers6, d->conf.peers6, sizeof(c.peers6));
	}
	c.metrics_addr = d->conf.metrics_addr;
	c.metrics_port = d->conf.metrics_port;
	if (c.notify[0] && access(c.notify, X_OK)) {
		pr_warn("vgw: %s: reload failed, keeping the running config: --notify: cannot run "
			"%s: %s\n",
			d->conf.iface, c.notify, strerror(errno));
		return;
	}
	d->conf = c;
	decide_reconfigure(&d->dec, &c, &key);
	act_reconfigure(&d->act, &c, &key);
	pr_info("vgw: %s: config reloaded\n", d->conf.iface);
}

/* SIGHUP is handled here; a stop goes into the snapshot for decide.c. */
static bool take_signals(struct daemon *d)
{
	struct signalfd_siginfo si;
	bool term = false;

	while (read(d->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			reload(d);
		else if (si.ssi_signo != SIGCHLD) /* a --notify run ended: act.c reaps it */
			term = true;
	}
	return term;
}

static void take_snapshot(struct daemon *d, struct vgw_snapshot *s)
{
	unsigned int i;

	s->now = vgw_mono_ms();
	s->idle_ms = d->acted_at && s->now > d->acted_at ? s->now - d->acted_at : 0;
	s->term = take_signals(d);
	s->link_up = link_up(d->sock, d->conf.iface);
	s->tracks_down = 0;
	for (i = 0; i < d->conf.n_tracks; i++)
		s->tracks_down += !link_up(d->sock, d->conf.tracks[i]);
	s->n_msgs = 0;
	take_hellos(d, s);
	s->polled = false;
	if (decide_poll_due(&d->dec, s->now)) {
		take_counters(d, s);
		s->dataplane_gone = !dataplane_intact(d);
	}
}

/*
 * --fast-path: egress interfaces come and go, and a veth takes XDP frames
 * only while its peer has an XDP program; a redirect to one that does not
 * would drop the frame, so fwd_ports follows them.
 */
/*
 * Handed-off frames leave by XDP_TX. A veth in native mode delivers them only
 * while its peer takes XDP frames (an XDP program or GRO on it), which the
 * kernel reports as the veth's NDO_XMIT feature: without it they would be
 * lost, so no connection is handed off meanwhile (logged once per change).
 */
static void handoff_tx_check(struct daemon *d)
{
	struct fast_port ports[256];
	bool ok = true;
	size_t n = 0, i;

	if (!d->conf.handoff_ms || !d->veth_native)
		return;
	if (!fast_ports_read(ports, 256, &n))
		for (i = 0; i < n; i++)
			if ((int)ports[i].ifindex == d->ifindex)
				ok = ports[i].xdp_xmit;
	if (ok == !d->snap.handoff_no_tx && d->handoff_tx_told)
		return;
	if (!ok)
		pr_warn("vgw: %s: warning: the veth's peer takes no XDP frames, so handed-off ones "
			"would be lost: no connection is handed off until it does (attach an XDP "
			"program to the peer, or run with --mode skb)\n",
			d->conf.iface);
	else if (d->handoff_tx_told)
		pr_info("vgw: %s: the veth's peer takes XDP frames: connections are handed off "
			"again\n",
			d->conf.iface);
	d->snap.handoff_no_tx = !ok;
	d->handoff_tx_told = true;
}

static void fast_ports_refresh(struct daemon *d, uint64_t now)
{
	bool told = d->fast_watch_fd >= 0 && fast_ports_watch_drain(d->fast_watch_fd);

	if (!told && now - d->fast_synced_at < FAST_PORTS_MS)
		return;
	d->fast_synced_at = now;
	handoff_tx_check(d);
	if (d->conf.fast_path)
		fast_ports_sync(d->m.fwd_ports, d->conf.iface, d->ifindex, false);
}

/* Set up the data plane, or take over the one a dead daemon left. 0, or 1 after one error line. */
static int dataplane(struct daemon *d, struct vgw_adopted *adopted, enum xdp_attach_mode *mode)
{
	int found = vgw_adopt(&d->conf, vgw_mono_ns(), adopted);

	if (found < 0 || (found == 1 && vgw_dataplane_up(&d->conf, mode)))
		return 1;
	d->lock_fd = vgw_daemon_lock(d->conf.iface);
	if (d->lock_fd < 0) {
		pr_warn("vgw: error: cannot lock %s for this vgw run: %s\n", d->conf.iface,
			strerror(-d->lock_fd));
		if (found == 1)
			vgw_dataplane_down(d->conf.iface);
		return 1;
	}
	if (found == 0 && adopted->resume)
		pr_info("vgw: %s: took over from vgw run pid %u, gone for %llu ms: carrying on as "
			"%s with its vMACs\n",
			d->conf.iface, adopted->pid, (unsigned long long)adopted->gone_ms,
			group_state_name(adopted->r.role));
	else if (found == 0)
		pr_info("vgw: %s: took over the data plane of vgw run pid %u, gone for %llu ms "
			"(failed safe): rejoining as a new router\n",
			d->conf.iface, adopted->pid, (unsigned long long)adopted->gone_ms);
	if (found == 1)
		adopted->resume = false;
	return 0;
}

/*
 * The handoff looks flows up in conntrack: asked for without it, it is
 * refused; by default it is off then (without conntrack a move breaks nothing).
 */
static int handoff_needs(struct daemon *d)
{
	struct vgw_kernel_features kf;
	const char *missing;
	char release[128];

	if (d->conf.fast_path)
		pr_info("vgw: %s: the fast path bypasses conntrack: connection handoff is off\n",
			d->conf.iface);
	if (!d->conf.handoff_ms)
		return 0;
	vgw_kernel_probe(&kf);
	missing = kf.conntrack ? vgw_kernel_missing(&kf, true) : NULL;
	if (kf.conntrack && !missing)
		return 0;
	if (d->conf.handoff_asked) {
		if (missing)
			pr_warn("vgw: error: --handoff-ms needs %s, which this kernel (%s) lacks, "
				"or "
				"use --handoff-ms 0\n",
				missing, vgw_kernel_release(release, sizeof(release)));
		else
			pr_warn("vgw: error: --handoff-ms needs conntrack, which this kernel has "
				"not "
				"loaded (modprobe nf_conntrack), or use --handoff-ms 0\n");
		return 1;
	}
	if (missing) {
		pr_info("vgw: %s: this kernel (%s) lacks %s: connection handoff is off\n",
			d->conf.iface, vgw_kernel_release(release, sizeof(release)), missing);
	} else {
		pr_info("vgw: %s: no conntrack on this router: connection handoff is off until "
			"conntrack is loaded\n",
			d->conf.iface);
		d->handoff_waiting_ms = d->conf.handoff_ms;
	}
	d->conf.handoff_ms = 0;
	return 0;
}

/*
 * Conntrack loaded after vgw started (say, by nftables rules loaded later at
 * boot): the handoff that waited for it comes on, through an atomic swap of
 * the XDP program for one with the handoff built in. Checked once a second.
 */
static void handoff_follow(struct daemon *d, uint64_t now)
{
	struct vgw_kernel_features kf;
	struct vgw_config cfg;
	struct vgw_key key;
	char pin_dir[256];
	int err;

	if (!d->handoff_waiting_ms || now - d->handoff_checked_at < FAST_PORTS_MS)
		return;
	d->handoff_checked_at = now;
	if (access("/proc/sys/net/netfilter/nf_conntrack_max", F_OK))
		return;
	vgw_kernel_probe(&kf);
	if (vgw_kernel_missing(&kf, true))
		return; /* its BTF comes with the module: loaded, but not quite yet */
	err = vgw_config_get(&d->m, &cfg);
	cfg.flags |= VGW_CFG_F_HANDOFF;
	if (!err)
		err = vgw_pin_path(pin_dir, sizeof(pin_dir), d->conf.iface, NULL);
	if (!err)
		err = vgw_xdp_replace(pin_dir, &cfg, d->ifindex);
	if (!err)
		err = vgw_config_set(&d->m, &cfg);
	if (err) {
		if (err != VGW_ERR_REPORTED)
			pr_warn("vgw: %s: warning: conntrack is loaded now, but the XDP program "
				"cannot take the handoff (%s): it stays off until vgw run "
				"restarts\n",
				d->conf.iface, strerror(-err));
		d->handoff_waiting_ms = 0;
		return;
	}
	d->conf.handoff_ms = d->handoff_waiting_ms;
	d->handoff_waiting_ms = 0;
	key = d->dec.key;
	decide_reconfigure(&d->dec, &d->conf, &key);
	act_reconfigure(&d->act, &d->conf, &key);
	pr_info("vgw: %s: conntrack is loaded now: connection handoff is on\n", d->conf.iface);
}

/* --notify and --metrics, checked before anything is attached: 0, or 1 after one error line. */
static int operator_hooks(struct daemon *d)
{
	char err[160];

	if (d->conf.notify[0] && access(d->conf.notify, X_OK)) {
		pr_warn("vgw: error: --notify: cannot run %s: %s\n", d->conf.notify,
			strerror(errno));
		return 1;
	}
	if (!d->conf.metrics_port)
		return 0;
	d->metrics = metrics_start(d->conf.iface, d->conf.metrics_addr, d->conf.metrics_port, err,
				   sizeof(err));
	if (!d->metrics) {
		pr_warn("vgw: error: %s\n", err);
		return 1;
	}
	return 0;
}

static int setup(struct daemon *d)
{
	struct vgw_adopted adopted = { 0 };
	struct vgw_config cfg;
	struct vgw_undo undo;
	struct vgw_key key;
	enum xdp_attach_mode mode;
	char pin_dir[256];
	uint32_t self_id;
	char vips[128];
	sigset_t mask;
	int err;

	/* blocked from the start: a stop during setup is handled, not fatal */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	if (read_key(d->conf.key_file, &key) || operator_hooks(d) || handoff_needs(d))
		return 1;
	if (dataplane(d, &adopted, &mode))
		return 1;
	err = vgw_maps_open(d->conf.iface, &d->m);
	if (!err)
		err = vgw_config_get(&d->m, &cfg);
	if (!err)
		err = vgw_undo_get(&d->m, &undo);
	if (err) {
		pr_warn("vgw: error: cannot open vgw's maps for %s: %s\n", d->conf.iface,
			strerror(-err));
		return -1;
	}
	/* taken over from a daemon whose XDP program has no handoff: swap it in */
	if (d->conf.handoff_ms && !(cfg.flags & VGW_CFG_F_HANDOFF)) {
		d->handoff_waiting_ms = d->conf.handoff_ms;
		d->conf.handoff_ms = 0;
	}
	memcpy(&self_id, cfg.router_id, 4);
	if (!self_id) {
		pr_warn("vgw: error: %s has no IPv4 address of its own to use as router id: give "
			"one with --router-id\n",
			d->conf.iface);
		return -1;
	}
	d->ifindex = if_nametoindex(d->conf.iface);
	d->pkt_fd = vmac_announce_socket();
	if (d->pkt_fd < 0) {
		pr_warn("vgw: error: cannot open a packet socket: %s\n", strerror(-d->pkt_fd));
		return -1;
	}
	d->sock = d->conf.hello_v6 ? open_socket6(&d->conf, d->ifindex)
				   : open_socket(&d->conf, d->ifindex);
	if (d->sock < 0) {
		pr_warn("vgw: error: cannot open the hello socket on %s: %s\n", d->conf.iface,
			strerror(-d->sock));
		return -1;
	}
	d->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	err = vgw_pin_path(pin_dir, sizeof(pin_dir), d->conf.iface, NULL);
	if (!err)
		err = vgw_beat_open_load(pin_dir, &d->beat);
	if (err) {
		if (err != VGW_ERR_REPORTED)
			pr_warn("vgw: error: cannot load the heartbeat program on %s: %s\n",
				d->conf.iface, strerror(-err));
		return -1;
	}
	err = act_init(&d->act, &d->m, d->ifindex, d->sock, d->pkt_fd,
		       bpf_program__fd(d->beat->progs.vgw_beat), &cfg, &d->conf, &key);
	if (d->sigfd < 0 || err) {
		pr_warn("vgw: error: cannot set up vgw run on %s: %s\n", d->conf.iface,
			strerror(d->sigfd < 0 ? errno : -err));
		return -1;
	}
	d->act.metrics = d->metrics;
	mode = (enum xdp_attach_mode)undo.xdp_mode;
	d->veth_native = mode == XDP_MODE_NATIVE && iface_is_veth(d->conf.iface);
	/* without it, the once-a-second sync alone */
	if (d->conf.fast_path || (d->conf.handoff_ms && d->veth_native))
		d->fast_watch_fd = fast_ports_watch_open();
	if (d->fast_watch_fd < 0 && d->conf.fast_path)
		pr_debug("vgw: %s: fast path: no notice of XDP feature changes (%s): re-read "
			 "every %d ms\n",
			 d->conf.iface, strerror(-d->fast_watch_fd), FAST_PORTS_MS);
	decide_init(&d->dec, &d->conf, &key, self_id, seq_start(), getpid(), vgw_mono_ms());
	decide_set_mac(&d->dec, cfg.ifmac);
	if (adopted.resume)
		decide_resume(&d->dec, &adopted.r, vgw_mono_ms());
	handoff_tx_check(d);
	vgw_vips_str(&d->conf, vips, sizeof(vips));
	pr_info("vgw: %s: running in group %u, %s, router %u.%u.%u.%u, %s XDP%s, hellos over %s\n",
		d->conf.iface, d->conf.group, vips, cfg.router_id[0], cfg.router_id[1],
		cfg.router_id[2], cfg.router_id[3], mode == XDP_MODE_SKB ? "skb" : "native",
		d->conf.fast_path ? " with the fast path" : "", d->conf.hello_v6 ? "IPv6" : "IPv4");
	return 0;
}

/*
 * systemd (Type=notify): ready once the data plane is attached and the first
 * hello is out; stopping from the first SIGTERM. A no-op without systemd.
 */
static void notify_systemd(struct daemon *d)
{
	if (!d->ready && d->out.send_hello) {
		sd_notifyf(0, "READY=1\nSTATUS=in group %u on %s", d->conf.group, d->conf.iface);
		d->ready = true;
	}
	if (d->snap.term && !d->stopping) {
		sd_notify(0, "STOPPING=1\nSTATUS=leaving the group");
		d->stopping = true;
	}
}

/* Until the next timer: decide.c's, or a --notify run's timeout. */
static int sleep_ms(struct daemon *d)
{
	uint64_t now = vgw_mono_ms();
	int t = decide_timeout_ms(&d->dec, now), n = notify_timeout_ms(&d->act.notify, now);

	return n >= 0 && n < t ? n : t;
}

/* Returns whether the daemon stopped on an error. */
static bool loop(struct daemon *d)
{
	for (;;) {
		struct pollfd pfd[3] = { { d->sock, POLLIN, 0 },
					 { d->sigfd, POLLIN, 0 },
					 { d->fast_watch_fd, POLLIN, 0 } }; /* -1: not polled */

		take_snapshot(d, &d->snap);
		fast_ports_refresh(d, d->snap.now);
		handoff_follow(d, d->snap.now);
		decide_step(&d->dec, &d->snap, &d->out);
		act_apply(&d->act, &d->out);
		d->acted_at = vgw_mono_ms();
		notify_systemd(d);
		if (d->out.stop)
			break;
		if (poll(pfd, 3, sleep_ms(d)) < 0 && errno != EINTR)
			break;
	}
	act_finish(&d->act);
	pr_info("vgw: %s: stopped\n", d->conf.iface);
	return d->out.failed;
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
	d->sock = d->sigfd = d->pkt_fd = d->lock_fd = d->fast_watch_fd = -1;
	d->m = (struct vgw_maps)VGW_MAPS_INIT;
	ret = setup(d);
	if (ret == 0 && loop(d))
		ret = -1; /* tear down what is left, exit 1 */
	if (d->sock >= 0)
		close(d->sock);
	if (d->sigfd >= 0)
		close(d->sigfd);
	if (d->pkt_fd >= 0)
		close(d->pkt_fd);
	if (d->fast_watch_fd >= 0)
		close(d->fast_watch_fd);
	vgw_maps_close(&d->m);
	vgw_beat__destroy(d->beat); /* an armed timer keeps the program */
	metrics_stop(d->metrics);
	if (ret <= 0)
		vgw_dataplane_down(d->conf.iface);
	if (d->lock_fd >= 0)
		close(d->lock_fd); /* after the teardown: no other run starts on a half-removed one
				    */
	free(d);
	return ret == 0 ? 0 : 1;
}
