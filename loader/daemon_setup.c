// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw run's set-up (the key, the operator's hooks, the handoff's needs, the
 * data plane or a dead daemon's to take over, maps, sockets, the heartbeat,
 * the policy's first state) and what changes it later: SIGHUP, and conntrack
 * loaded after vgw started.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "adopt.h"
#include "announce.h"
#include "attach.h"
#include "clock.h"
#include "daemon_common.h"
#include "fastpath.h"
#include "handoff.h"
#include "iface.h"
#include "kernel.h"
#include "lock.h"
#include "log.h"
#include "dataplane.h"
#include "vgw_beat.skel.h"
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

/*
 * What only a restart changes: the data plane, the sockets and the metrics
 * server were made with them. (The hellos' IP version and the handoff's on or
 * off are kept too, below: they bring fields of their own.)
 */
/* Adds what to the list of kept settings ("vmacs, port"). */
static void name_kept(char *kept, size_t len, const char *what)
{
	size_t used = strlen(kept);

	snprintf(kept + used, len - used, "%s%s", used ? ", " : "", what);
}

/* SIGHUP: what can change while running does; the rest waits for a restart. */
void reload(struct daemon *d)
{
	char err[256], kept[256];
	struct vgw_cli c;
	struct vgw_key key;

	if (cli_parse(d->argc, d->argv, &c, err, sizeof(err))) {
		pr_warn("vgw: %s: reload failed, keeping the running config: %s\n", d->conf.iface,
			err);
		return;
	}
	/* the data plane, the sockets and the metrics server were made with these */
	cli_keep_restart_only(&c, &d->conf, kept, sizeof(kept));
	if (c.hello_v6 != d->conf.hello_v6)
		name_kept(kept, sizeof(kept), "the hellos' IP version");
	if (c.handoff_asked && !c.handoff_ms != !d->conf.handoff_ms)
		name_kept(kept, sizeof(kept), "handoff on or off");
	if (kept[0])
		pr_warn("vgw: %s: %s: change on restart only; the running values stay\n",
			d->conf.iface, kept);
	if (read_key(c.key_file, &key))
		return;
	if (!c.handoff_ms != !d->conf.handoff_ms) /* the XDP program has the handoff or not */
		c.handoff_ms = d->conf.handoff_ms;
	if (c.hello_v6 != d->conf.hello_v6) { /* the socket is of one family: keep its peers */
		c.hello_v6 = d->conf.hello_v6;
		c.n_peers = d->conf.n_peers;
		c.n_peers6 = d->conf.n_peers6;
		memcpy(c.peers, d->conf.peers, sizeof(c.peers));
		memcpy(c.peers6, d->conf.peers6, sizeof(c.peers6));
	}
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
void handoff_follow(struct daemon *d, uint64_t now)
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

enum setup_result setup(struct daemon *d)
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
		return SETUP_REFUSED;
	if (dataplane(d, &adopted, &mode))
		return SETUP_REFUSED;
	err = vgw_maps_open(d->conf.iface, &d->m);
	if (!err)
		err = vgw_config_get(&d->m, &cfg);
	if (!err)
		err = vgw_undo_get(&d->m, &undo);
	if (err) {
		pr_warn("vgw: error: cannot open vgw's maps for %s: %s\n", d->conf.iface,
			strerror(-err));
		return SETUP_FAILED;
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
		return SETUP_FAILED;
	}
	d->ifindex = if_nametoindex(d->conf.iface);
	d->pkt_fd = vmac_announce_socket();
	if (d->pkt_fd < 0) {
		pr_warn("vgw: error: cannot open a packet socket: %s\n", strerror(-d->pkt_fd));
		return SETUP_FAILED;
	}
	d->sock = d->conf.hello_v6 ? open_socket6(&d->conf, d->ifindex)
				   : open_socket(&d->conf, d->ifindex);
	if (d->sock < 0) {
		pr_warn("vgw: error: cannot open the hello socket on %s: %s\n", d->conf.iface,
			strerror(-d->sock));
		return SETUP_FAILED;
	}
	d->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	err = vgw_pin_path(pin_dir, sizeof(pin_dir), d->conf.iface, NULL);
	if (!err)
		err = vgw_beat_open_load(pin_dir, &d->beat);
	if (err) {
		if (err != VGW_ERR_REPORTED)
			pr_warn("vgw: error: cannot load the heartbeat program on %s: %s\n",
				d->conf.iface, strerror(-err));
		return SETUP_FAILED;
	}
	err = act_init(&d->act, &d->m, d->ifindex, d->sock, d->pkt_fd,
		       bpf_program__fd(d->beat->progs.vgw_beat), &cfg, &d->conf, &key);
	if (d->sigfd < 0 || err) {
		pr_warn("vgw: error: cannot set up vgw run on %s: %s\n", d->conf.iface,
			strerror(d->sigfd < 0 ? errno : -err));
		return SETUP_FAILED;
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
	return SETUP_DONE;
}
