// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "fastpath.h"
#include "log.h"
#include "netlink.h"

/* Debian 12's headers predate the netdev family (include/uapi/linux/netdev.h, 6.3) */
#define NETDEV_FAMILY_NAME	  "netdev"
#define NETDEV_CMD_DEV_GET	  1
#define NETDEV_A_DEV_IFINDEX	  1
#define NETDEV_A_DEV_XDP_FEATURES 3
#define NETDEV_XDP_ACT_NDO_XMIT	  4

size_t fast_ports_choose(const struct fast_port *ports, size_t n, unsigned int lan_ifindex,
			 unsigned int *out, size_t max)
{
	size_t i, k = 0;

	for (i = 0; i < n && k < max; i++) {
		const struct fast_port *p = &ports[i];

		if (p->ifindex == lan_ifindex || !p->up || p->loopback || !p->xdp_xmit)
			continue;
		out[k++] = p->ifindex;
	}
	return k;
}

struct genl_family {
	uint16_t id;
	uint32_t mgmt_group; /* the "mgmt" multicast group: devices added, changed, gone */
};

static void mcast_groups(const struct nlattr *groups, struct genl_family *f)
{
	const struct nlattr *g, *a;

	mnl_attr_for_each_nested(g, groups)
	{
		const char *name = NULL;
		uint32_t id = 0;

		mnl_attr_for_each_nested(a, g)
		{
			if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_NAME)
				name = mnl_attr_get_str(a);
			else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GRP_ID)
				id = mnl_attr_get_u32(a);
		}
		if (name && !strcmp(name, "mgmt"))
			f->mgmt_group = id;
	}
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct genl_family *f = data;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
	{
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
			f->id = mnl_attr_get_u16(a);
		else if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
			mcast_groups(a, f);
	}
	return MNL_CB_OK;
}

static struct nlmsghdr *genl_header(char *buf, uint16_t type, uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

struct ports_read {
	struct fast_port *ports;
	size_t max, n;
};

static int dev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ports_read *r = data;
	struct fast_port p = { 0 };
	uint64_t features = 0;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
	{
		if (mnl_attr_get_type(a) == NETDEV_A_DEV_IFINDEX)
			p.ifindex = mnl_attr_get_u32(a);
		else if (mnl_attr_get_type(a) == NETDEV_A_DEV_XDP_FEATURES)
			features = mnl_attr_get_u64(a);
	}
	if (!p.ifindex || r->n >= r->max)
		return MNL_CB_OK;
	p.xdp_xmit = features & NETDEV_XDP_ACT_NDO_XMIT;
	r->ports[r->n++] = p;
	return MNL_CB_OK;
}

/* Up and loopback from the interface flags; a vanished one counts as down. */
static void port_flags(struct fast_port *p, int fd)
{
	struct ifreq ifr = { 0 };

	if (!if_indextoname(p->ifindex, p->name))
		return;
	memcpy(ifr.ifr_name, p->name, IF_NAMESIZE);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		return;
	p->up = ifr.ifr_flags & IFF_UP;
	p->loopback = ifr.ifr_flags & IFF_LOOPBACK;
}

/* The netdev family's id and groups; -EOPNOTSUPP before Linux 6.3. */
static int netdev_family(struct genl_family *f)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int err;

	memset(f, 0, sizeof(*f));
	nlh = genl_header(buf, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NETDEV_FAMILY_NAME);
	err = nl_talk(NETLINK_GENERIC, nlh, family_cb, f);
	if (err == -ENOENT || (!err && !f->id))
		return -EOPNOTSUPP;
	return err;
}

int fast_ports_read(struct fast_port *ports, size_t max, size_t *n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ports_read r = { ports, max, 0 };
	struct genl_family family;
	struct nlmsghdr *nlh;
	size_t i;
	int err, fd;

	err = netdev_family(&family);
	if (err)
		return err;
	nlh = genl_header(buf, family.id, NLM_F_DUMP, NETDEV_CMD_DEV_GET);
	err = nl_talk(NETLINK_GENERIC, nlh, dev_cb, &r);
	if (err)
		return err;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	for (i = 0; i < r.n; i++)
		port_flags(&ports[i], fd);
	close(fd);
	*n = r.n;
	return 0;
}

int fast_ports_watch_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct genl_family family;
	int fd, err;

	err = netdev_family(&family);
	if (err)
		return err;
	if (!family.mgmt_group)
		return -EOPNOTSUPP;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &family.mgmt_group,
		       sizeof(family.mgmt_group))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

bool fast_ports_watch_drain(int fd)
{
	char buf[4096];
	bool any = false;

	/* what changed does not matter: the sync reads it all again */
	while (recv(fd, buf, sizeof(buf), 0) > 0 || errno == ENOBUFS)
		any = true;
	return any;
}

static bool has(const unsigned int *set, size_t n, unsigned int v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == v)
			return true;
	return false;
}

const char *fast_port_name(unsigned int ifindex, char *buf)
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "ifindex %u", ifindex);
	return buf;
}

size_t fast_ports_in_map(int map_fd, __u32 *out, size_t max)
{
	__u32 key, next, *prev = NULL;
	size_t n = 0;

	while (n < max && !bpf_map_get_next_key(map_fd, prev, &next)) {
		out[n++] = next;
		key = next;
		prev = &key;
	}
	return n;
}

int fast_ports_sync(int map_fd, const char *lan, unsigned int lan_ifindex, bool initial)
{
	struct fast_port ports[VGW_FWD_PORTS_MAX * 2];
	unsigned int want[VGW_FWD_PORTS_MAX];
	__u32 cur[VGW_FWD_PORTS_MAX];
	size_t n = 0, n_want, n_cur, i;
	char names[256] = "", name[IF_NAMESIZE];
	int err;

	err = fast_ports_read(ports, VGW_FWD_PORTS_MAX * 2, &n);
	if (err == -EOPNOTSUPP && initial)
		pr_warn("vgw: warning: %s: the kernel does not report which interfaces take XDP "
			"frames (Linux 6.3 or later does): the fast path forwards nothing, every "
			"frame takes the kernel's path\n",
			lan);
	if (err && err != -EOPNOTSUPP)
		return err;
	n_want = fast_ports_choose(ports, n, lan_ifindex, want, VGW_FWD_PORTS_MAX);
	n_cur = fast_ports_in_map(map_fd, cur, VGW_FWD_PORTS_MAX);
	for (i = 0; i < n_want; i++) {
		__u32 k = want[i], v = want[i];

		if (initial)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), " %s",
				 fast_port_name(k, name));
		if (has(cur, n_cur, k))
			continue;
		if (bpf_map_update_elem(map_fd, &k, &v, BPF_ANY)) {
			err = -errno;
			pr_warn("vgw: warning: %s: fast path: cannot add %s as an egress port: "
				"%s\n",
				lan, fast_port_name(k, name), strerror(errno));
			continue;
		}
		if (!initial)
			pr_info("vgw: %s: fast path: %s takes XDP frames now, forwarding to it in "
				"XDP\n",
				lan, fast_port_name(k, name));
	}
	for (i = 0; i < n_cur; i++) {
		__u32 k = cur[i];

		if (has(want, n_want, k))
			continue;
		bpf_map_delete_elem(map_fd, &k);
		pr_info("vgw: %s: fast path: %s is gone, down or takes no XDP frames now: its "
			"traffic takes the kernel's path\n",
			lan, fast_port_name(k, name));
	}
	if (initial && n_want)
		pr_info("vgw: %s: fast path to%s\n", lan, names);
	else if (initial && !err)
		pr_warn("vgw: warning: %s: fast path: no other interface takes XDP frames (a veth "
			"needs an XDP program on its peer): every frame takes the kernel's path\n",
			lan);
	return err ? err : (int)n_want;
}

bool nf_chain_bypassed(const struct nf_chain *c)
{
	bool l3 =
		c->family == NFPROTO_IPV4 || c->family == NFPROTO_IPV6 || c->family == NFPROTO_INET;
	bool hook = c->hook == NF_INET_PRE_ROUTING || c->hook == NF_INET_FORWARD ||
		    c->hook == NF_INET_POST_ROUTING;

	return l3 && hook && (c->rules > 0 || c->policy_drop);
}

struct nf_read {
	struct nf_chain chains[64];
	size_t n;
};

static uint8_t nfgen_family(const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);

	return g->nfgen_family;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nf_read *r = data;
	struct nf_chain c = { .family = nfgen_family(nlh), .hook = -1 };
	struct nlattr *a, *h;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
	{
		switch (mnl_attr_get_type(a)) {
		case NFTA_CHAIN_TABLE:
			snprintf(c.table, sizeof(c.table), "%s", mnl_attr_get_str(a));
			break;
		case NFTA_CHAIN_NAME:
			snprintf(c.name, sizeof(c.name), "%s", mnl_attr_get_str(a));
			break;
		case NFTA_CHAIN_POLICY:
			c.policy_drop = ntohl(mnl_attr_get_u32(a)) == NF_DROP;
			break;
		case NFTA_CHAIN_HOOK:
			mnl_attr_for_each_nested(h, a)
			{
				if (mnl_attr_get_type(h) == NFTA_HOOK_HOOKNUM)
					c.hook = (int)ntohl(mnl_attr_get_u32(h));
			}
			break;
		}
	}
	if (c.hook >= 0 && r->n < sizeof(r->chains) / sizeof(r->chains[0]))
		r->chains[r->n++] = c;
	return MNL_CB_OK;
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nf_read *r = data;
	const char *table = "", *chain = "";
	uint8_t family = nfgen_family(nlh);
	struct nlattr *a;
	size_t i;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
	{
		if (mnl_attr_get_type(a) == NFTA_RULE_TABLE)
			table = mnl_attr_get_str(a);
		else if (mnl_attr_get_type(a) == NFTA_RULE_CHAIN)
			chain = mnl_attr_get_str(a);
	}
	for (i = 0; i < r->n; i++)
		if (r->chains[i].family == family && !strcmp(r->chains[i].table, table) &&
		    !strcmp(r->chains[i].name, chain))
			r->chains[i].rules++;
	return MNL_CB_OK;
}

static int nft_dump(uint16_t msg, mnl_cb_t cb, struct nf_read *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g;

	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | msg;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = NFPROTO_UNSPEC;
	g->version = NFNETLINK_V0;
	return nl_talk(NETLINK_NETFILTER, nlh, cb, r);
}

static const char *family_name(uint8_t f)
{
	return f == NFPROTO_IPV4 ? "ip" : f == NFPROTO_IPV6 ? "ip6" : "inet";
}

static const char *hook_name(int hook)
{
	return hook == NF_INET_PRE_ROUTING ? "prerouting"
	       : hook == NF_INET_FORWARD   ? "forward"
					   : "postrouting";
}

/* Legacy iptables' loaded tables from /proc ("filter nat"); nftables' own show above. */
static int legacy_tables(const char *path, char *out, size_t len)
{
	char line[64];
	int n = 0;
	FILE *f = fopen(path, "r");

	out[0] = '\0';
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(out + strlen(out), len - strlen(out), "%s%s", n++ ? " " : "", line);
	}
	fclose(f);
	return n;
}

int fast_netfilter_warn(const char *lan)
{
	static const char *const legacy[] = { "/proc/net/ip_tables_names",
					      "/proc/net/ip6_tables_names" };
	struct nf_read r = { .n = 0 };
	char tables[128];
	size_t i;
	int named = 0;

	/* no nf_tables in the kernel: nothing to bypass there */
	if (!nft_dump(NFT_MSG_GETCHAIN, chain_cb, &r) && r.n)
		nft_dump(NFT_MSG_GETRULE, rule_cb, &r);
	for (i = 0; i < r.n; i++) {
		const struct nf_chain *c = &r.chains[i];

		if (!nf_chain_bypassed(c))
			continue;
		pr_warn("vgw: warning: %s: --fast-path: frames it forwards skip netfilter: "
			"nftables "
			"chain %s %s %s (hook %s, %u rules%s) never sees them\n",
			lan, family_name(c->family), c->table, c->name, hook_name(c->hook),
			c->rules, c->policy_drop ? ", policy drop" : "");
		named++;
	}
	for (i = 0; i < 2; i++) {
		if (!legacy_tables(legacy[i], tables, sizeof(tables)))
			continue;
		pr_warn("vgw: warning: %s: --fast-path: frames it forwards skip netfilter: legacy "
			"%s tables %s never see them\n",
			lan, i ? "ip6tables" : "iptables", tables);
		named++;
	}
	return named;
}
