// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "adopt.h"
#include "attach.h"
#include "iface.h"
#include "lock.h"
#include "log.h"
#include "maps.h"

bool adopt_mismatch(const struct vgw_config *pinned, const struct vgw_cli *cli,
		    const uint8_t ifmac[6], char *why, size_t len)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (pinned->group != cli->group) {
		snprintf(why, len, "group %u, the config says %u", pinned->group, cli->group);
	} else if (memcmp(pinned->vip, &cli->vip.s_addr, 4)) {
		inet_ntop(AF_INET, pinned->vip, a, sizeof(a));
		inet_ntop(AF_INET, &cli->vip, b, sizeof(b));
		snprintf(why, len, "vip %s, the config says %s", a, b);
	} else if (memcmp(pinned->vip6, &cli->vip6, 16) ||
		   memcmp(pinned->vip6_global, &cli->vip6_global, 16)) {
		char c[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6, pinned->vip6, c, sizeof(c));
		inet_ntop(AF_INET6, &cli->vip6, d, sizeof(d));
		snprintf(why, len, "vip6 %s, the config says %s (or another vip6-global)", c, d);
	} else if (cli->router_id.s_addr && memcmp(pinned->router_id, &cli->router_id, 4)) {
		inet_ntop(AF_INET, pinned->router_id, a, sizeof(a));
		inet_ntop(AF_INET, &cli->router_id, b, sizeof(b));
		snprintf(why, len, "router id %s, the config says %s", a, b);
	} else if (!(pinned->flags & VGW_CFG_F_FAST_PATH) != !cli->fast_path) {
		snprintf(why, len, "the fast path %s, the config has it %s",
			 pinned->flags & VGW_CFG_F_FAST_PATH ? "on" : "off",
			 cli->fast_path ? "on" : "off");
	} else if (!(pinned->flags & VGW_CFG_F_HANDOFF) != !cli->handoff_ms) {
		snprintf(why, len, "connection handoff %s, the config has it %s",
			 pinned->flags & VGW_CFG_F_HANDOFF ? "on" : "off",
			 cli->handoff_ms ? "on" : "off");
	} else if (pinned->n_vmacs != cli->n_vmacs) {
		snprintf(why, len, "vmacs %u, the config says %u", pinned->n_vmacs, cli->n_vmacs);
	} else if (memcmp(pinned->ifmac, ifmac, 6)) {
		const uint8_t *p = pinned->ifmac;

		snprintf(why, len,
			 "the interface's MAC %02x:%02x:%02x:%02x:%02x:%02x, it has "
			 "%02x:%02x:%02x:%02x:%02x:%02x now",
			 p[0], p[1], p[2], p[3], p[4], p[5], ifmac[0], ifmac[1], ifmac[2], ifmac[3],
			 ifmac[4], ifmac[5]);
	} else {
		return false;
	}
	return true;
}

static int adopt_maps(const struct vgw_cli *cli, const struct vgw_maps *m, uint64_t now_ns,
		      struct vgw_adopted *a)
{
	const char *ifname = cli->iface;
	struct vgw_daemon_status st = { 0 };
	struct vgw_heartbeat hb = { 0 };
	struct iface_info ifi;
	struct vgw_config cfg;
	char why[128];
	uint16_t i;

	if (vgw_config_get(m, &cfg) || vgw_map_get(m->daemon_status, 0, &st) ||
	    vgw_map_get(m->daemon_heartbeat, 0, &hb) || iface_info_get(ifname, cli->vip, &ifi)) {
		pr_warn("vgw: error: cannot read the data plane left on %s\n", ifname);
		return -1;
	}
	if (!st.daemon) {
		pr_warn("vgw: error: vgw load set %s up with fixed vMACs: run 'vgw unload --iface "
			"%s' first\n",
			ifname, ifname);
		return -1;
	}
	if (!vgw_xdp_attached(ifi.ifindex)) {
		pr_warn("vgw: error: %s has vgw's maps but not its XDP program: run 'vgw unload "
			"--iface %s'\n",
			ifname, ifname);
		return -1;
	}
	if (adopt_mismatch(&cfg, cli, ifi.mac, why, sizeof(why))) {
		pr_warn("vgw: error: the data plane a dead vgw run left on %s has %s: run 'vgw "
			"unload --iface %s' to start over\n",
			ifname, why, ifname);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->pid = st.pid;
	a->gone_ms = hb.beat_ns && now_ns > hb.beat_ns ? (now_ns - hb.beat_ns) / 1000000 : 0;
	a->resume = hb.alive_until_ns > now_ns;
	a->r.role = st.role;
	memcpy(&a->r.avg_id, st.avg_id, 4);
	for (i = 1; i <= cfg.n_vmacs; i++) {
		struct vgw_vmac_entry e;

		if (vgw_vmac_get(m, i, &e))
			return -1;
		memcpy(&a->r.owner[i], e.owner, 4);
		if ((e.flags & VGW_VMAC_F_HANDOFF) &&
		    vgw_map_get(m->handoff_table, i, &a->r.handoff[i]))
			return -1;
	}
	return 0;
}

int vgw_adopt(const struct vgw_cli *cli, uint64_t now_ns, struct vgw_adopted *a)
{
	struct vgw_maps m = VGW_MAPS_INIT;
	char pin_dir[256], why[128];
	struct stat sb;
	int pid, err;

	if (vgw_pin_path(pin_dir, sizeof(pin_dir), cli->iface, NULL) || stat(pin_dir, &sb))
		return 1; /* not loaded (or an XDP program without pins: set-up says so) */
	pid = vgw_daemon_holder(cli->iface);
	if (pid) {
		pr_warn("vgw: error: vgw run (pid %d) already manages %s: two would fight over "
			"it\n",
			pid, cli->iface);
		return -1;
	}
	err = vgw_maps_open(cli->iface, &m);
	if (err) {
		pr_warn("vgw: error: %s has some of vgw's pins but not all: run 'vgw unload "
			"--iface %s'\n",
			cli->iface, cli->iface);
		return -1;
	}
	if (!vgw_maps_layout_ok(&m, why, sizeof(why))) {
		/* another vgw version left it (an upgrade after a crash): its layout is not ours */
		pr_warn("vgw: error: the data plane a dead vgw run left on %s is another vgw "
			"version's (%s): run 'vgw unload --iface %s' to start over\n",
			cli->iface, why, cli->iface);
		vgw_maps_close(&m);
		return -1;
	}
	err = adopt_maps(cli, &m, now_ns, a);
	vgw_maps_close(&m);
	return err;
}
