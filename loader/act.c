// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#define _GNU_SOURCE /* struct in6_pktinfo */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <string.h>
#include <sys/socket.h>

#include <bpf/bpf.h>

#include "act.h"
#include "announce.h"
#include "clock.h"
#include "log.h"
#include "netlink.h"
#include "dataplane.h"
#include "rawsend.h"

int act_init(struct vgw_act *a, const struct vgw_maps *m, int ifindex, int sock, int pkt_fd,
	     int beat_fd, const struct vgw_config *cfg, const struct vgw_cli *conf,
	     const struct vgw_key *key)
{
	uint16_t i;
	int err;

	memset(a, 0, sizeof(*a));
	a->m = m;
	a->ifindex = ifindex;
	a->sock = sock;
	a->pkt_fd = pkt_fd;
	a->beat_fd = beat_fd;
	memcpy(a->router_id, cfg->router_id, 4);
	memcpy(a->ifmac, cfg->ifmac, 6);
	a->n_vmacs = conf->n_vmacs;
	a->mcast = conf->mcast_addr;
	a->v6 = conf->hello_v6;
	a->mcast6 = conf->mcast6;
	memcpy(&a->ll6, cfg->ll6, 16);
	a->port = conf->port;
	notify_init(&a->notify, conf->notify, conf->notify_timeout_ms, conf->iface, conf->group);
	act_reconfigure(a, conf, key);
	for (i = 1; i <= a->n_vmacs; i++) {
		err = vgw_vmac_get(m, i, &a->table[i]);
		if (!err)
			err = vgw_map_get(m->handoff_table, i, &a->handoff[i]);
		if (err)
			return err;
	}
	return 0;
}

void act_reconfigure(struct vgw_act *a, const struct vgw_cli *conf, const struct vgw_key *key)
{
	a->key = *key;
	if (a->n_peers != conf->n_peers || memcmp(a->peers, conf->peers, sizeof(a->peers))) {
		memset(a->peer_mac_known, 0, sizeof(a->peer_mac_known));
		memset(a->peer_sends, 0, sizeof(a->peer_sends));
	}
	a->n_peers = conf->n_peers;
	memcpy(a->peers, conf->peers, sizeof(a->peers));
	a->n_peers6 = conf->n_peers6;
	memcpy(a->peers6, conf->peers6, sizeof(a->peers6));
	snprintf(a->notify.cmd, sizeof(a->notify.cmd), "%s", conf->notify);
	a->notify.timeout_ms = conf->notify_timeout_ms;
	if (!conf->notify[0])
		a->notify.n_queued = 0; /* hooks turned off: what waited is not run */
}

/*
 * A window's entry is written before its flag is set in vmac_table, and
 * cleared after the flag is: the data plane never follows an empty one.
 */
static void apply_handoff(struct vgw_act *a, uint16_t i, const struct vgw_handoff *want,
			  bool before)
{
	if ((want->until_ms != 0) == before && memcmp(&a->handoff[i], want, sizeof(*want)) &&
	    !vgw_map_set(a->m->handoff_table, i, want))
		a->handoff[i] = *want;
}

static void apply_table(struct vgw_act *a, const struct vgw_decisions *dd)
{
	uint16_t i;

	for (i = 1; i <= a->n_vmacs; i++) {
		struct vgw_vmac_entry *e = &a->table[i];
		uint8_t want = dd->vmac_state[i], was = e->state;
		uint8_t flags = dd->handoff[i].until_ms ? e->flags | VGW_VMAC_F_HANDOFF
							: e->flags & ~VGW_VMAC_F_HANDOFF;

		apply_handoff(a, i, &dd->handoff[i], true);
		if (want == was && !memcmp(e->owner, &dd->owner[i], 4) && flags == e->flags) {
			apply_handoff(a, i, &dd->handoff[i], false);
			continue;
		}
		e->state = want;
		e->flags = flags;
		memcpy(e->owner, &dd->owner[i], 4);
		vgw_vmac_set(a->m, i, e);
		apply_handoff(a, i, &dd->handoff[i], false);
		/* the unicast filter follows: an owned vMAC must reach XDP on any NIC */
		if (want == VGW_VMAC_OWNED && was != VGW_VMAC_OWNED)
			vgw_vmac_claim(a->ifindex, a->m, i);
		else if (want == VGW_VMAC_FOREIGN && was != VGW_VMAC_FOREIGN)
			vgw_vmac_unclaim(a->ifindex, a->m, i);
		vgw_vmac_get(a->m, i, e); /* claim/unclaim keep their bookkeeping there */
	}
}

static void announce(struct vgw_act *a, const struct vgw_decisions *dd)
{
	unsigned int k;

	for (k = 0; k < dd->n_announce; k++) {
		uint16_t i = dd->announce[k];
		int err = vmac_announce(a->pkt_fd, a->ifindex, a->table[i].mac, a->router_id);

		if (err && !a->announce_failed)
			pr_warn("vgw: warning: cannot announce vMAC %u on ifindex %d: %s\n", i,
				a->ifindex, strerror(-err));
		a->announce_failed = err != 0;
	}
}

/* Write value to key of fd when it differs from the copy kept; keep it on success. */
static void publish(int fd, __u32 key, void *kept, const void *value, size_t size)
{
	if (memcmp(kept, value, size) && !vgw_map_set(fd, key, value))
		memcpy(kept, value, size);
}

static void publish_all(struct vgw_act *a, const struct vgw_decisions *dd)
{
	unsigned int i;

	for (i = 1; i <= a->n_vmacs; i++)
		publish(a->m->vmac_rates, i, &a->rates[i], &dd->rates[i], sizeof(dd->rates[i]));
	if (dd->steer_valid) {
		for (i = 0; i < VGW_MAX_ROUTERS; i++)
			vgw_map_set(a->m->steer_routers, i, &dd->steer.routers[i]);
		for (i = 1; i <= a->n_vmacs; i++)
			vgw_map_set(a->m->steer_vmacs, i, &dd->steer.vmacs[i]);
		/* after the vMACs: the sums name them */
		for (i = 0; i <= VGW_STEER_GROUP; i++)
			vgw_map_set(a->m->steer_sums, i, &dd->steer.sums[i]);
	}
	publish(a->m->steer_params, 0, &a->params, &dd->params, sizeof(dd->params));
	publish(a->m->daemon_status, 0, &a->status, &dd->status, sizeof(dd->status));
	for (i = 0; i < VGW_MAX_ROUTERS; i++)
		publish(a->m->group_routers, i, &a->routers[i], &dd->routers[i],
			sizeof(dd->routers[i]));
	publish(a->m->hello_counters, 0, &a->counters, &dd->counters, sizeof(dd->counters));
}

/* Through the kernel's UDP socket: for a peer whose MAC is not known yet. */
static bool send_udp(struct vgw_act *a, const uint8_t *buf, int len, struct in_addr to_addr)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(a->port),
				  .sin_addr = to_addr };

	return sendto(a->sock, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) == len;
}

/*
 * IPv6 hellos go through the kernel's socket, from this router's own
 * link-local: left to choose, the kernel could take a virtual one, which
 * every router holds. (The frame path above exists for a neighbour table an
 * ARP flood filled; IPv6 link-local multicast needs no neighbour entry.)
 */
static bool send_udp6(struct vgw_act *a, const uint8_t *buf, int len, const struct in6_addr *to)
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6,
				    .sin6_port = htons(a->port),
				    .sin6_addr = *to,
				    .sin6_scope_id = (uint32_t)a->ifindex };
	char ctl[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	struct iovec iov = { (void *)buf, (size_t)len };
	struct msghdr msg = { .msg_name = &dst,
			      .msg_namelen = sizeof(dst),
			      .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	struct in6_pktinfo pi = { .ipi6_addr = a->ll6, .ipi6_ifindex = (unsigned int)a->ifindex };

	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	return sendmsg(a->sock, &msg, 0) == len;
}

/* As a whole frame on the packet socket: no neighbour entry needed, none created. */
static bool send_frame(struct vgw_act *a, const uint8_t *buf, int len, struct in_addr to,
		       const uint8_t mac[6])
{
	uint8_t frame[VGW_FRAME_HDRS + VGW_HELLO_MAX];
	uint32_t from;
	size_t n;

	memcpy(&from, a->router_id, 4);
	n = hello_frame(frame, sizeof(frame), mac, a->ifmac, from, to.s_addr, a->port, a->ip_id++,
			buf, len);
	return n && !frame_send(a->pkt_fd, a->ifindex, frame, n);
}

/*
 * A unicast peer's MAC comes from the kernel's neighbour table, looked up
 * again every PEER_MAC_REFRESH hellos; once known it is kept, even when
 * the entry is gone (a full table evicts it), until the kernel knows another.
 */
#define PEER_MAC_REFRESH 64

static bool send_peer(struct vgw_act *a, unsigned int i, const uint8_t *buf, int len)
{
	if (a->peer_sends[i]++ % PEER_MAC_REFRESH == 0 || !a->peer_mac_known[i])
		a->peer_mac_known[i] |= !nl_neigh_mac(a->ifindex, a->peers[i], a->peer_mac[i]);
	if (a->peer_mac_known[i] && send_frame(a, buf, len, a->peers[i], a->peer_mac[i]))
		return true;
	return send_udp(a, buf, len, a->peers[i]); /* the kernel resolves it for next time */
}

static void send_hello(struct vgw_act *a, const struct vgw_decisions *dd)
{
	static struct vgw_hello h;
	uint8_t buf[VGW_HELLO_MAX];
	unsigned int i;
	int len;

	len = hello_encode(&dd->hello, &a->key, buf, sizeof(buf));
	if (len < 0) {
		/* decide.c sizes the rates to fit; should they not, the table and role matter more
		 */
		h = dd->hello;
		h.n_rates = 0;
		len = hello_encode(&h, &a->key, buf, sizeof(buf));
	}
	if (len < 0) {
		if (!a->hello_failed)
			pr_warn("vgw: error: cannot encode a hello: %s\n", strerror(-len));
		a->hello_failed = true;
		return;
	}
	a->hello_failed = false;
	if (a->v6) {
		if (a->n_peers6 == 0)
			a->sent += send_udp6(a, buf, len, &a->mcast6);
		for (i = 0; i < a->n_peers6; i++)
			a->sent += send_udp6(a, buf, len, &a->peers6[i]);
		return;
	}
	if (a->n_peers == 0) {
		uint8_t mac[6];

		ipv4_mcast_mac(a->mcast.s_addr, mac);
		a->sent +=
			send_frame(a, buf, len, a->mcast, mac) || send_udp(a, buf, len, a->mcast);
	}
	for (i = 0; i < a->n_peers; i++)
		a->sent += send_peer(a, i, buf, len);
}

/* Run the heartbeat program: it re-arms the timer that fails the data plane safe. */
static void beat(struct vgw_act *a, const struct vgw_decisions *dd)
{
	struct __sk_buff ctx = { .cb = { dd->heartbeat_ms } };
	uint8_t frame[ETH_HLEN] = { 0 }; /* a test run needs one; the program reads none */
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = frame, .data_size_in = sizeof(frame),
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));
	int err = bpf_prog_test_run_opts(a->beat_fd, &run) ? -errno : run.retval ? -EINVAL : 0;

	/* the data plane will fail safe a hold time from now: say so, once */
	if (err && !a->beat_failed)
		pr_warn("vgw: error: the heartbeat failed on ifindex %d (%s): the data plane stops "
			"a hold time from now\n",
			a->ifindex, strerror(-err));
	a->beat_failed = err != 0;
}

/* The hooks and the metrics: after the data plane, which must not wait for either. */
static void operators(struct vgw_act *a, const struct vgw_decisions *dd)
{
	notify_queue(&a->notify, dd->events, dd->n_events);
	notify_poll(&a->notify, vgw_mono_ms());
	metrics_update(a->metrics, &dd->run);
}

void act_finish(struct vgw_act *a)
{
	notify_drain(&a->notify);
}

void act_apply(struct vgw_act *a, const struct vgw_decisions *dd)
{
	unsigned int k;

	for (k = 0; k < dd->n_log; k++)
		vgw_log(dd->log_level[k], "%s\n", dd->log[k]);
	apply_table(a, dd);
	announce(a, dd);
	if (dd->send_hello)
		send_hello(a, dd);
	publish_all(a, dd);
	/* a daemon that adopted a failed-safe data plane has set its table first */
	beat(a, dd);
	operators(a, dd);
}
