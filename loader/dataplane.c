// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The data plane up and down, for `vgw load`/`unload` and vgw run's set-up.
 * Every change to the interface is recorded in the pinned undo map (struct
 * vgw_undo) right after it is made, so that a failed load and `vgw unload`
 * run the same teardown and remove exactly what vgw added.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "announce.h"
#include "attach.h"
#include "fastpath.h"
#include "iface.h"
#include "kernel.h"
#include "lock.h"
#include "log.h"
#include "maps.h"
#include "netlink.h"
#include "dataplane.h"
#include "sysctl.h"
#include "vgw_tc.skel.h"

/* What the routers' kernels must do differently on the LAN interface. */
struct sysctl_want {
	const char *key;
	int value;
	size_t undo_offset;
	bool only_if_strict; /* rp_filter: loosen strict mode, leave off as it is */
};

static const struct sysctl_want iface_sysctls[] = {
	/* never source our own ARP requests from the vIP */
	{ "arp_announce", 2, offsetof(struct vgw_undo, arp_announce), false },
	/* answer ARP only for addresses on this interface */
	{ "arp_ignore", 1, offsetof(struct vgw_undo, arp_ignore), false },
	/* no gratuitous ARP (which would carry our own MAC) on link changes */
	{ "arp_notify", 0, offsetof(struct vgw_undo, arp_notify), false },
	/* hair-pinned forwarding must not redirect hosts to our real address */
	{ "send_redirects", 0, offsetof(struct vgw_undo, send_redirects), false },
	/* strict reverse-path filtering drops flows that return via another router */
	{ "rp_filter", 2, offsetof(struct vgw_undo, rp_filter), true },
};

static __s32 *undo_field(struct vgw_undo *u, size_t offset)
{
	return (__s32 *)((char *)u + offset);
}

static void undo_init(struct vgw_undo *u)
{
	size_t i;

	memset(u, 0, sizeof(*u));
	for (i = 0; i < sizeof(iface_sysctls) / sizeof(iface_sysctls[0]); i++)
		*undo_field(u, iface_sysctls[i].undo_offset) = -1;
	u->all_send_redirects = -1;
}

int vgw_precheck(void)
{
	int err;

	if (geteuid() != 0) {
		pr_warn("vgw: error: must be run as root\n");
		return 1;
	}
	err = vgw_bpffs_ensure();
	if (err) {
		pr_warn("vgw: error: cannot mount bpffs on /sys/fs/bpf: %s\n", strerror(-err));
		return 1;
	}
	/* libbpf's probe calls a refused bpf() "unsupported"; ask the kernel first */
	err = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	if (err < 0) {
		pr_warn("vgw: error: cannot use BPF here: %s\n", strerror(errno));
		return 1;
	}
	close(err);
	if (libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_XDP, NULL) <= 0 ||
	    libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_SCHED_CLS, NULL) <= 0) {
		pr_warn("vgw: error: this kernel does not support BPF XDP and tc programs\n");
		return 1;
	}
	return 0;
}

static void restore_sysctls(const char *ifname, struct vgw_undo *u)
{
	char other[IF_NAMESIZE + 1];
	struct vgw_maps om = VGW_MAPS_INIT;
	struct vgw_undo ou;
	size_t i;

	for (i = 0; i < sizeof(iface_sysctls) / sizeof(iface_sysctls[0]); i++) {
		__s32 *saved = undo_field(u, iface_sysctls[i].undo_offset);

		if (*saved >= 0 && sysctl_conf_write(ifname, iface_sysctls[i].key, *saved))
			pr_debug("cannot restore %s on %s\n", iface_sysctls[i].key, ifname);
		*saved = -1;
	}
	if (u->all_send_redirects < 0)
		return;
	/* Another vgw instance still needs all.send_redirects off: hand it the saved value. */
	if (vgw_other_instance(ifname, other, sizeof(other)) && !vgw_maps_open(other, &om) &&
	    !vgw_undo_get(&om, &ou) && ou.all_send_redirects < 0) {
		/* its undo record is the loader's alone: no daemon rewrites it */
		ou.all_send_redirects = u->all_send_redirects;
		vgw_undo_set(&om, &ou);
	} else {
		sysctl_conf_write("all", "send_redirects", u->all_send_redirects);
	}
	vgw_maps_close(&om);
	u->all_send_redirects = -1;
}

/*
 * Undo everything recorded in u on ifname, newest first, then unpin.
 * ifindex may be 0 when the interface is gone.
 */
static void teardown(const char *ifname, int ifindex, const struct vgw_maps *m,
		     const struct vgw_config *cfg, struct vgw_undo *u)
{
	struct in_addr vip;
	__u32 i;

	memcpy(&vip.s_addr, cfg->vip, 4);
	if (ifindex && u->vip_added && nl_addr4(ifindex, vip, 32, false))
		pr_debug("cannot remove vIP from %s\n", ifname);
	u->vip_added = 0;
	if (ifindex && (u->vip6_added & VGW_UNDO_VIP6_GLOBAL) &&
	    nl_addr6_shared(ifindex, (const struct in6_addr *)cfg->vip6_global, false))
		pr_debug("cannot remove the global IPv6 virtual address from %s\n", ifname);
	if (ifindex && (u->vip6_added & VGW_UNDO_VIP6_LL) &&
	    nl_addr6_shared(ifindex, (const struct in6_addr *)cfg->vip6, false))
		pr_debug("cannot remove the IPv6 virtual link-local from %s\n", ifname);
	u->vip6_added = 0;
	for (i = 1; i <= cfg->n_vmacs && i < VGW_VMAC_SLOTS; i++) {
		struct vgw_vmac_entry e;

		if (vgw_vmac_get(m, i, &e) || !(e.flags & VGW_VMAC_F_UC_FILTER))
			continue;
		if (ifindex)
			nl_uc_filter(ifindex, e.mac, false);
		e.flags &= ~VGW_VMAC_F_UC_FILTER;
		vgw_vmac_set(m, i, &e);
	}
	if (ifindex)
		restore_sysctls(ifname, u);
	if (ifindex && vgw_xdp_detach(ifindex))
		pr_debug("cannot detach XDP from %s\n", ifname);
	if (ifindex)
		vgw_tc_detach(ifindex, u->clsact_created);
	vgw_pins_remove(ifname);
}

static int apply_sysctls(const char *ifname, const struct vgw_maps *m, struct vgw_undo *u)
{
	size_t i;
	int old, err;

	for (i = 0; i < sizeof(iface_sysctls) / sizeof(iface_sysctls[0]); i++) {
		const struct sysctl_want *w = &iface_sysctls[i];

		err = sysctl_conf_read(ifname, w->key, &old);
		if (err)
			return err;
		if (old == w->value || (w->only_if_strict && old != 1))
			continue;
		err = sysctl_conf_write(ifname, w->key, w->value);
		if (err)
			return err;
		*undo_field(u, w->undo_offset) = old;
		vgw_undo_set(m, u);
	}
	/* the kernel sends redirects when either all or the interface says so */
	err = sysctl_conf_read("all", "send_redirects", &old);
	if (err)
		return err;
	if (old != 0) {
		err = sysctl_conf_write("all", "send_redirects", 0);
		if (err)
			return err;
		u->all_send_redirects = old;
		vgw_undo_set(m, u);
	}
	return 0;
}

static int fill_tables(const struct vgw_cli *cli, const struct iface_info *ifi,
		       const struct vgw_maps *m, struct vgw_config *cfg, struct vgw_undo *u)
{
	struct vgw_steer_params sp = { .avg = cli->avg, .lb_method = VGW_LB_ROUND_ROBIN };
	__u32 i;
	int err;

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->vip, &cli->vip.s_addr, 4);
	memcpy(cfg->router_id,
	       cli->router_id.s_addr ? &cli->router_id.s_addr : &ifi->router_id.s_addr, 4);
	memcpy(cfg->ifmac, ifi->mac, 6);
	memcpy(cfg->vip6, &cli->vip6, 16);
	memcpy(cfg->vip6_global, &cli->vip6_global, 16);
	memcpy(cfg->ll6, &ifi->ll6, 16);
	cfg->group = cli->group;
	cfg->n_vmacs = cli->n_vmacs;
	cfg->flags = (cli->fast_path ? VGW_CFG_F_FAST_PATH : 0) |
		     (cli->cmd == VGW_CMD_RUN && cli->handoff_ms ? VGW_CFG_F_HANDOFF : 0);
	undo_init(u);
	err = vgw_config_set(m, cfg);
	if (!err)
		err = vgw_undo_set(m, u);
	if (!err)
		err = vgw_map_set(m->steer_params, 0, &sp);
	for (i = 1; i <= cli->n_vmacs && !err; i++) {
		struct vgw_vmac_entry e = { 0 };

		vgw_vmac_from_index(cli->group, i, e.mac);
		e.state = cli->own[i] ? VGW_VMAC_OWNED : VGW_VMAC_FOREIGN;
		if (cli->own[i])
			memcpy(e.owner, cfg->router_id, 4);
		err = vgw_vmac_set(m, i, &e);
	}
	return err;
}

int vgw_vmac_claim(int ifindex, const struct vgw_maps *m, __u32 index)
{
	struct vgw_vmac_entry e;
	int err;

	err = vgw_vmac_get(m, index, &e);
	if (err)
		return err;
	if (e.flags & VGW_VMAC_F_UC_FILTER)
		return 0;
	err = nl_uc_filter(ifindex, e.mac, true);
	if (err == -EEXIST) /* someone else's entry, theirs to remove */
		return 0;
	if (err)
		return err;
	e.flags |= VGW_VMAC_F_UC_FILTER;
	return vgw_vmac_set(m, index, &e);
}

int vgw_vmac_unclaim(int ifindex, const struct vgw_maps *m, __u32 index)
{
	struct vgw_vmac_entry e;
	int err;

	err = vgw_vmac_get(m, index, &e);
	if (err || !(e.flags & VGW_VMAC_F_UC_FILTER))
		return err;
	nl_uc_filter(ifindex, e.mac, false);
	e.flags &= ~VGW_VMAC_F_UC_FILTER;
	return vgw_vmac_set(m, index, &e);
}

static enum xdp_attach_mode xdp_mode_of(enum vgw_xdp_mode_opt o)
{
	return o == VGW_XDP_MODE_NATIVE ? XDP_MODE_NATIVE
	       : o == VGW_XDP_MODE_SKB	? XDP_MODE_SKB
					: XDP_MODE_UNSPEC;
}

static int load_checks(const struct vgw_cli *cli, struct iface_info *ifi, char *pin_dir,
		       size_t pin_len)
{
	struct vgw_kernel_features kf;
	const char *missing;
	char release[128];
	struct stat st;
	int err, fwd, gc3;

	/* before anything is loaded: one line, never a verifier's log */
	vgw_kernel_probe(&kf);
	missing = vgw_kernel_missing(&kf, false);
	if (missing) {
		pr_warn("vgw: error: this kernel (%s) lacks %s, which vgw needs\n",
			vgw_kernel_release(release, sizeof(release)), missing);
		return -1;
	}
	err = iface_info_get(cli->iface, cli->vip, ifi);
	if (err == -ENODEV) {
		pr_warn("vgw: error: no interface named '%s'\n", cli->iface);
		return -1;
	}
	if (err) {
		pr_warn("vgw: error: %s is not an Ethernet interface\n", cli->iface);
		return -1;
	}
	if (vgw_pin_path(pin_dir, pin_len, cli->iface, NULL))
		return -1;
	if (stat(pin_dir, &st) == 0 || vgw_xdp_attached(ifi->ifindex)) {
		pr_warn("vgw: error: vgw is already loaded on %s (run 'vgw unload --iface %s')\n",
			cli->iface, cli->iface);
		return -1;
	}
	if (!IN6_IS_ADDR_UNSPECIFIED(&cli->vip6)) {
		err = iface_info_get6(cli->iface, &cli->vip6, &cli->vip6_global, ifi);
		if (err) {
			pr_warn("vgw: error: cannot read %s's IPv6 addresses: %s\n", cli->iface,
				strerror(-err));
			return -1;
		}
		if (IN6_IS_ADDR_UNSPECIFIED(&ifi->ll6)) {
			pr_warn("vgw: error: %s has no IPv6 link-local address of its own (is IPv6 "
				"disabled on it?): --vip6 needs one\n",
				cli->iface);
			return -1;
		}
		if (!sysctl_read_path("/proc/sys/net/ipv6/conf/all/forwarding", &fwd) && fwd == 0)
			pr_info("vgw: warning: net.ipv6.conf.all.forwarding is 0, this router will "
				"not forward IPv6\n");
	}
	if (cli->vip.s_addr && !sysctl_read_path("/proc/sys/net/ipv4/ip_forward", &fwd) && fwd == 0)
		pr_info("vgw: warning: net.ipv4.ip_forward is 0, this router will not forward\n");
	/* a full neighbour table drops new hosts' traffic and the router's own sends;
	 * the thresholds are the host's (a network namespace has none of its own) */
	if (ifi->router_id.s_addr &&
	    !sysctl_read_path("/proc/sys/net/ipv4/neigh/default/gc_thresh3", &gc3) &&
	    neigh_table_too_small(ifi->prefix_len, gc3))
		pr_info("vgw: warning: %s's /%u holds %llu hosts, more than "
			"net.ipv4.neigh.default.gc_thresh3 (%d): raise gc_thresh1..3 above the "
			"number of hosts (see README)\n",
			cli->iface, ifi->prefix_len,
			(unsigned long long)prefix_hosts(ifi->prefix_len), gc3);
	return 0;
}

/* "vIP 10.0.0.1, vIP6 fe80::1 2001:db8::1" for the addresses given. */
void vgw_vips_str(const struct vgw_cli *cli, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	size_t off = 0;

	buf[0] = '\0';
	if (cli->vip.s_addr && off < len)
		off += snprintf(buf + off, len - off, "vIP %s",
				inet_ntop(AF_INET, &cli->vip, a, sizeof(a)));
	if (!IN6_IS_ADDR_UNSPECIFIED(&cli->vip6) && off < len)
		off += snprintf(buf + off, len - off, "%svIP6 %s", off ? ", " : "",
				inet_ntop(AF_INET6, &cli->vip6, a, sizeof(a)));
	if (!IN6_IS_ADDR_UNSPECIFIED(&cli->vip6_global) && off < len)
		snprintf(buf + off, len - off, " %s",
			 inet_ntop(AF_INET6, &cli->vip6_global, a, sizeof(a)));
}

static void print_loaded(const struct vgw_cli *cli, enum xdp_attach_mode mode)
{
	char vips[128];
	unsigned int i, owned = 0;

	for (i = 1; i <= cli->n_vmacs; i++)
		owned += cli->own[i];
	vgw_vips_str(cli, vips, sizeof(vips));
	printf("vgw: loaded on %s: group %u, %s, %u vMACs, %u owned, %s XDP%s%s\n", cli->iface,
	       cli->group, vips, cli->n_vmacs, owned, vgw_xdp_mode_str(mode),
	       cli->fast_path ? " with the fast path" : "",
	       !cli->avg			     ? ""
	       : IN6_IS_ADDR_UNSPECIFIED(&cli->vip6) ? ", answering ARP (AVG)"
						     : ", answering ARP and ND (AVG)");
}

/* The steps of vgw_dataplane_up, in order: what the error line says failed. */
enum up_step {
	UP_STATUS_MAPS,
	UP_TC_LOAD,
	UP_MAPS_OPEN,
	UP_FILL,
	UP_TC_EGRESS,
	UP_XDP,
	UP_TC_INGRESS,
	UP_FAST_PORTS,
	UP_SYSCTLS,
	UP_UNICAST,
	UP_VIP,
	UP_VIP6_LL,
	UP_VIP6_GLOBAL,
};

static const char *const up_step_str[] = {
	[UP_STATUS_MAPS] = "create the status maps",
	[UP_TC_LOAD] = "load the TC programs",
	[UP_MAPS_OPEN] = "open the pinned maps",
	[UP_FILL] = "fill the maps",
	[UP_TC_EGRESS] = "attach the TC egress program",
	[UP_XDP] = "attach the XDP program",
	[UP_TC_INGRESS] = "attach the TC ingress program",
	[UP_FAST_PORTS] = "fill the fast path's egress ports",
	[UP_SYSCTLS] = "set the interface's ARP sysctls",
	[UP_UNICAST] = "add the owned vMACs to the unicast filter",
	[UP_VIP] = "add the vIP to the interface",
	[UP_VIP6_LL] = "add the IPv6 virtual link-local to the interface",
	[UP_VIP6_GLOBAL] = "add the global IPv6 virtual address to the interface",
};

/* What vgw_dataplane_up works on, and records for undo as it goes. */
struct up_ctx {
	const struct vgw_cli *cli;
	struct iface_info ifi;
	struct vgw_maps m;
	struct vgw_tc *tc;
	struct vgw_config cfg;
	struct vgw_undo u;
	char pin_dir[256];
	enum xdp_attach_mode mode;
	enum up_step step; /* the one under way */
};

/*
 * The programs: tc egress first, so that ARP answers are rewritten before the
 * vIP exists and none leaves with the router's MAC; then XDP (and tc ingress
 * where native XDP on a veth needs it), and the fast path's ports.
 */
static int attach_steps(struct up_ctx *x)
{
	const struct vgw_cli *cli = x->cli;
	bool created;
	int err;

	x->step = UP_TC_EGRESS;
	err = vgw_tc_attach(x->tc, x->ifi.ifindex, &created);
	if (err)
		return err;
	x->u.clsact_created = created;
	vgw_undo_set(&x->m, &x->u);
	x->step = UP_XDP;
	err = vgw_xdp_attach(x->pin_dir, &x->cfg, x->ifi.ifindex, xdp_mode_of(cli->xdp_mode),
			     &x->mode);
	if (err)
		return err;
	x->u.xdp_mode = x->mode;
	vgw_undo_set(&x->m, &x->u);
	if (x->mode == XDP_MODE_NATIVE && iface_is_veth(cli->iface)) {
		x->step = UP_TC_INGRESS;
		err = vgw_tc_attach_ingress(x->tc, x->ifi.ifindex);
		if (err)
			return err;
	}
	if (cli->fast_path) {
		x->step = UP_FAST_PORTS;
		err = fast_ports_sync(x->m.fwd_ports, cli->iface, x->ifi.ifindex, true);
		if (err < 0)
			return err;
		fast_netfilter_warn(cli->iface);
	}
	return 0;
}

/* The owned vMACs into the unicast filter, each announced so that switches learn its port. */
static int claim_owned(struct up_ctx *x)
{
	int pkt_fd = vmac_announce_socket(), err = 0;
	__u32 i;

	for (i = 1; i <= x->cfg.n_vmacs && !err; i++) {
		__u8 mac[6];

		if (!x->cli->own[i])
			continue;
		err = vgw_vmac_claim(x->ifi.ifindex, &x->m, i);
		vgw_vmac_from_index(x->cfg.group, i, mac);
		/* switches learn the vMAC on our port, so its frames stop flooding */
		if (!err && vmac_announce(pkt_fd, x->ifi.ifindex, mac, x->cfg.router_id))
			pr_info("vgw: warning: cannot announce vMAC %u on %s\n", i, x->cli->iface);
	}
	if (pkt_fd >= 0)
		close(pkt_fd);
	return err;
}

/* A virtual IPv6 address onto the interface, unless none is asked for or it is there already. */
static int add_vip6(struct up_ctx *x, const struct in6_addr *a, bool present, __u8 undo_bit,
		    enum up_step step)
{
	int err;

	if (IN6_IS_ADDR_UNSPECIFIED(a) || present)
		return 0;
	x->step = step;
	err = nl_addr6_shared(x->ifi.ifindex, a, true);
	if (err)
		return err;
	x->u.vip6_added |= undo_bit;
	vgw_undo_set(&x->m, &x->u);
	return 0;
}

/* The interface's side: ARP sysctls, the unicast filter, the virtual addresses. */
static int address_steps(struct up_ctx *x)
{
	const struct vgw_cli *cli = x->cli;
	int err;

	x->step = UP_SYSCTLS;
	err = apply_sysctls(cli->iface, &x->m, &x->u);
	if (err)
		return err;
	x->step = UP_UNICAST;
	err = claim_owned(x);
	if (err)
		return err;
	if (cli->vip.s_addr && !x->ifi.has_vip) {
		x->step = UP_VIP;
		err = nl_addr4(x->ifi.ifindex, cli->vip, 32, true);
		if (err)
			return err;
		x->u.vip_added = 1;
		vgw_undo_set(&x->m, &x->u);
	}
	err = add_vip6(x, &cli->vip6, x->ifi.has_vip6, VGW_UNDO_VIP6_LL, UP_VIP6_LL);
	if (err)
		return err;
	return add_vip6(x, &cli->vip6_global, x->ifi.has_vip6_global, VGW_UNDO_VIP6_GLOBAL,
			UP_VIP6_GLOBAL);
}

int vgw_dataplane_up(const struct vgw_cli *cli, enum xdp_attach_mode *attached)
{
	struct up_ctx x = { .cli = cli, .m = VGW_MAPS_INIT };
	bool undo_needed = false;
	int err;

	if (load_checks(cli, &x.ifi, x.pin_dir, sizeof(x.pin_dir)))
		return 1;
	if (mkdir(VGW_PIN_ROOT, 0700) && errno != EEXIST) {
		pr_warn("vgw: error: cannot create %s: %s\n", VGW_PIN_ROOT, strerror(errno));
		return 1;
	}
	undo_init(&x.u);
	x.step = UP_STATUS_MAPS;
	err = vgw_state_maps_create(x.pin_dir);
	if (!err) {
		x.step = UP_TC_LOAD;
		err = vgw_tc_open_load(x.pin_dir, &x.tc);
	}
	if (!err) {
		x.step = UP_MAPS_OPEN;
		err = vgw_maps_open(cli->iface, &x.m);
	}
	if (!err) {
		/* from here on, what failed has to be undone */
		undo_needed = true;
		x.step = UP_FILL;
		err = fill_tables(cli, &x.ifi, &x.m, &x.cfg, &x.u);
	}
	if (!err)
		err = attach_steps(&x);
	if (!err)
		err = address_steps(&x);
	if (err && undo_needed)
		teardown(cli->iface, x.ifi.ifindex, &x.m, &x.cfg, &x.u);
	vgw_maps_close(&x.m);
	vgw_tc__destroy(x.tc);
	if (!err) {
		*attached = x.mode;
		return 0;
	}
	vgw_pins_remove(cli->iface);
	if (err == VGW_ERR_REPORTED)
		pr_warn("vgw: %s: nothing is attached\n", cli->iface);
	else if (err == -EBUSY && x.step == UP_XDP)
		pr_warn("vgw: error: cannot attach the XDP program on %s: another XDP program is "
			"attached and libxdp cannot share the interface with it here\n",
			cli->iface);
	else
		pr_warn("vgw: error: cannot %s on %s: %s\n", up_step_str[x.step], cli->iface,
			strerror(-err));
	return 1;
}

int vgw_cmd_load(const struct vgw_cli *cli)
{
	enum xdp_attach_mode mode;

	if (vgw_dataplane_up(cli, &mode))
		return 1;
	print_loaded(cli, mode);
	return 0;
}

int vgw_dataplane_down(const char *ifname)
{
	struct vgw_maps m = VGW_MAPS_INIT;
	struct vgw_config cfg;
	struct vgw_undo u;
	int err;

	err = vgw_maps_open(ifname, &m);
	if (err == -ENOENT) {
		pr_warn("vgw: error: vgw is not loaded on %s\n", ifname);
		return 1;
	}
	if (err || vgw_config_get(&m, &cfg) || vgw_undo_get(&m, &u)) {
		pr_warn("vgw: error: cannot read vgw's maps for %s: %s\n", ifname,
			strerror(err ? -err : errno));
		vgw_maps_close(&m);
		return 1;
	}
	teardown(ifname, if_nametoindex(ifname), &m, &cfg, &u);
	vgw_maps_close(&m);
	return 0;
}

int vgw_cmd_unload(const struct vgw_cli *cli)
{
	int pid = vgw_daemon_holder(cli->iface);

	if (pid) {
		/* pulling the data plane from under it would black-hole its vMACs */
		pr_warn("vgw: error: vgw run (pid %d) manages %s: stop it instead (kill -TERM %d), "
			"it leaves the group gracefully and unloads\n",
			pid, cli->iface, pid);
		return 1;
	}
	if (vgw_dataplane_down(cli->iface))
		return 1;
	printf("vgw: unloaded from %s\n", cli->iface);
	return 0;
}
