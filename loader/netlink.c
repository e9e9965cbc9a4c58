// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netlink.h"

int nl_talk(int bus, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	unsigned int portid;
	int ret;

	nl = mnl_socket_open(bus);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out_close;
	}
	portid = mnl_socket_get_portid(nl);
	req->nlmsg_seq = (unsigned int)time(NULL);
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
		ret = -errno;
		goto out_close;
	}
	do {
		ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret <= 0) {
			ret = ret < 0 ? -errno : -EIO;
			break;
		}
		ret = mnl_cb_run(buf, ret, req->nlmsg_seq, portid, cb, data);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		ret = -errno;
out_close:
	mnl_socket_close(nl);
	return ret;
}

/* Send one request and wait for its ack; returns 0 or -errno from the kernel. */
static int nl_request(struct nlmsghdr *nlh)
{
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	return nl_talk(NETLINK_ROUTE, nlh, NULL, NULL);
}

/* RTM_NEWADDR / RTM_DELADDR of one address of either family. */
static int nl_addr(int family, int ifindex, const void *addr, size_t alen, int prefixlen,
		   unsigned char scope, uint32_t flags, bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_flags = (uint8_t)flags;
	ifa->ifa_scope = scope;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	if (flags)
		mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	return nl_request(nlh);
}

int nl_addr4(int ifindex, struct in_addr addr, int prefixlen, bool add)
{
	return nl_addr(AF_INET, ifindex, &addr.s_addr, 4, prefixlen, RT_SCOPE_UNIVERSE, 0, add);
}

int nl_addr6_shared(int ifindex, const struct in6_addr *addr, bool add)
{
	return nl_addr(AF_INET6, ifindex, addr, sizeof(*addr), 128,
		       IN6_IS_ADDR_LINKLOCAL(addr) ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE,
		       IFA_F_NODAD | IFA_F_NOPREFIXROUTE, add);
}

int nl_uc_filter(int ifindex, const uint8_t mac[6], bool add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *ndm;

	nlh->nlmsg_type = add ? RTM_NEWNEIGH : RTM_DELNEIGH;
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = PF_BRIDGE;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	ndm->ndm_flags = NTF_SELF;
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	return nl_request(nlh);
}

static int count_filter_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWTFILTER)
		(*(int *)data)++;
	return MNL_CB_OK;
}

int nl_tc_filter_count(int ifindex, unsigned int parent_min)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct tcmsg *tcm;
	int ret, count = 0;

	nlh->nlmsg_type = RTM_GETTFILTER;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = TC_H_MAKE(TC_H_CLSACT, parent_min);
	ret = nl_talk(NETLINK_ROUTE, nlh, count_filter_cb, &count);
	return ret < 0 ? ret : count;
}

struct neigh_answer {
	uint8_t mac[6];
	bool valid;
};

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct neigh_answer *a = data;
	struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWNEIGH ||
	    !(ndm->ndm_state & (NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT)))
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(*ndm)) if (mnl_attr_get_type(attr) == NDA_LLADDR &&
						       mnl_attr_get_payload_len(attr) == 6)
	{
		memcpy(a->mac, mnl_attr_get_payload(attr), 6);
		a->valid = true;
	}
	return MNL_CB_OK;
}

int nl_neigh_mac(int ifindex, struct in_addr addr, uint8_t mac[6])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct neigh_answer a = { .valid = false };
	struct ndmsg *ndm;
	int ret;

	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_INET;
	ndm->ndm_ifindex = ifindex;
	mnl_attr_put_u32(nlh, NDA_DST, addr.s_addr);
	ret = nl_talk(NETLINK_ROUTE, nlh, neigh_cb, &a);
	if (ret)
		return ret;
	if (!a.valid)
		return -ENOENT;
	memcpy(mac, a.mac, 6);
	return 0;
}
