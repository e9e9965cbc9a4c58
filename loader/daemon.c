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
#include <unistd.h>

#include "act.h"
#include "attach.h"
#include "clock.h"
#include "daemon.h"
#include "daemon_common.h"
#include "decide.h"
#include "fastpath.h"
#include "handoff.h"
#include "log.h"
#include "maps.h"
#include "metrics.h"
#include "dataplane.h"
#include "vgw_beat.skel.h"

int open_socket(const struct vgw_cli *c, int ifindex)
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
int open_socket6(const struct vgw_cli *c, int ifindex)
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
	s->handoff_flows = vgw_handoff_flows_count(&d->m, now_ns);
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

/*
 * Handed-off frames leave by XDP_TX. A veth in native mode delivers them only
 * while its peer takes XDP frames (an XDP program or GRO on it), which the
 * kernel reports as the veth's NDO_XMIT feature: without it they would be
 * lost, so no connection is handed off meanwhile (logged once per change).
 */
void handoff_tx_check(struct daemon *d)
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
	if (ok == !d->handoff_no_tx && d->handoff_tx_told)
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
	d->handoff_no_tx = !ok;
	d->handoff_tx_told = true;
}

/*
 * --fast-path: egress interfaces come and go, and a veth takes XDP frames
 * only while its peer has an XDP program; a redirect to one that does not
 * would drop the frame, so fwd_ports follows them.
 */
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

/*
 * systemd (Type=notify): ready once the data plane is attached and the first
 * hello is out, the pass after it went (whose counters show it, since act.c's
 * counts reach the published ones through the next snapshot); stopping from
 * the first SIGTERM. A no-op without systemd.
 */
static void notify_systemd(struct daemon *d)
{
	if (!d->ready && d->hello_tried) {
		sd_notifyf(0, "READY=1\nSTATUS=in group %u on %s", d->conf.group, d->conf.iface);
		d->ready = true;
	}
	d->hello_tried |= d->out.send_hello;
	if (d->snap.term && !d->stopping) {
		sd_notify(0, "STOPPING=1\nSTATUS=leaving the group");
		d->stopping = true;
	}
}

/* Everything decide_step reads, taken once a pass. */
static void take_snapshot(struct daemon *d, struct vgw_snapshot *s)
{
	unsigned int i;

	s->now = vgw_mono_ms();
	fast_ports_refresh(d, s->now);
	s->handoff_no_tx = d->handoff_no_tx;
	s->hellos_sent = d->act.sent;
	s->notify = d->act.notify.counters;
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

/* Until the next timer: decide.c's, or a --notify run's timeout. */
static int sleep_ms(struct daemon *d)
{
	uint64_t now = vgw_mono_ms();
	int t = decide_timeout_ms(&d->dec, now), n = notify_timeout_ms(&d->act.notify, now);

	if (!d->ready && d->hello_tried)
		return 0; /* READY waits for one more pass */
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
	enum setup_result res;

	if (!d)
		return 1;
	d->conf = *cli;
	d->argc = argc;
	d->argv = argv;
	d->sock = d->sigfd = d->pkt_fd = d->lock_fd = d->fast_watch_fd = -1;
	d->m = (struct vgw_maps)VGW_MAPS_INIT;
	res = setup(d);
	if (res == SETUP_DONE && loop(d))
		res = SETUP_FAILED; /* tear down what is left, exit 1 */
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
	if (res != SETUP_REFUSED)
		vgw_dataplane_down(d->conf.iface);
	if (d->lock_fd >= 0)
		close(d->lock_fd); /* after the teardown: no other run starts on a half-removed one
				    */
	free(d);
	return res == SETUP_DONE ? 0 : 1;
}
