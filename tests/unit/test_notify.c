// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* --notify: what each event's run is told, on its command line and in its environment. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "notify.h"

static void expect_cmdline(const struct vgw_event *ev, const char *args, const char *envs)
{
	struct notify_cmdline c;
	char got[512] = "";
	unsigned int i;

	notify_cmdline(ev, "lan0", 7, &c);
	for (i = 0; i < c.n_args; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? " " : "",
			 c.arg[i]);
	cr_assert_str_eq(got, args);
	got[0] = '\0';
	for (i = 0; i < c.n_envs; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s", i ? " " : "",
			 c.env[i]);
	cr_assert_str_eq(got, envs);
}

Test(notify, role_names_the_new_role_then_the_old)
{
	expect_cmdline(&(struct vgw_event){ .kind = VGW_EVENT_ROLE,
					    .role = VGW_STATE_AVG,
					    .prev_role = VGW_STATE_STANDBY },
		       "role lan0 7 avg standby",
		       "VGW_EVENT=role VGW_IFACE=lan0 VGW_GROUP=7 VGW_ROLE=avg "
		       "VGW_PREV_ROLE=standby");
	expect_cmdline(
		&(struct vgw_event){
			.kind = VGW_EVENT_ROLE, .role = VGW_STATE_LISTEN, .prev_role = 0xff },
		"role lan0 7 listen none",
		"VGW_EVENT=role VGW_IFACE=lan0 VGW_GROUP=7 VGW_ROLE=listen VGW_PREV_ROLE=none");
}

Test(notify, vmacs_gained_and_lost_name_the_vmac_and_its_new_owner)
{
	expect_cmdline(&(struct vgw_event){ .kind = VGW_EVENT_VMAC_GAINED,
					    .role = VGW_STATE_AVG,
					    .index = 2 },
		       "vmac-gained lan0 7 2 02:76:67:00:70:02",
		       "VGW_EVENT=vmac-gained VGW_IFACE=lan0 VGW_GROUP=7 VGW_ROLE=avg "
		       "VGW_VMAC_INDEX=2 VGW_VMAC=02:76:67:00:70:02");
	expect_cmdline(&(struct vgw_event){ .kind = VGW_EVENT_VMAC_LOST,
					    .role = VGW_STATE_LEAVING,
					    .index = 16,
					    .router = htonl(0x0a4d0002) },
		       "vmac-lost lan0 7 16 02:76:67:00:70:10 10.77.0.2",
		       "VGW_EVENT=vmac-lost VGW_IFACE=lan0 VGW_GROUP=7 VGW_ROLE=leaving "
		       "VGW_VMAC_INDEX=16 VGW_VMAC=02:76:67:00:70:10 VGW_ROUTER=10.77.0.2");
	/* lost to nobody known (the group lost sight of this router) */
	expect_cmdline(&(struct vgw_event){ .kind = VGW_EVENT_VMAC_LOST, .index = 1 },
		       "vmac-lost lan0 7 1 02:76:67:00:70:01 ",
		       "VGW_EVENT=vmac-lost VGW_IFACE=lan0 VGW_GROUP=7 VGW_ROLE=init "
		       "VGW_VMAC_INDEX=1 VGW_VMAC=02:76:67:00:70:01 VGW_ROUTER=");
}

Test(notify, mismatch_and_leaving)
{
	expect_cmdline(&(struct vgw_event){ .kind = VGW_EVENT_MISMATCH,
					    .role = VGW_STATE_LISTEN,
					    .router = htonl(0x0a4d0003),
					    .mismatch = 1 | 8 },
		       "mismatch lan0 7 10.77.0.3 vip,hold_ms",
		       "VGW_EVENT=mismatch VGW_IFACE=lan0 VGW_GROUP=7 VGW_ROLE=listen "
		       "VGW_ROUTER=10.77.0.3 VGW_MISMATCH=vip,hold_ms");
	expect_cmdline(&(struct vgw_event){ .kind = VGW_EVENT_LEAVING, .role = VGW_STATE_LEAVING },
		       "leaving lan0 7",
		       "VGW_EVENT=leaving VGW_IFACE=lan0 VGW_GROUP=7 VGW_ROLE=leaving");
}

Test(notify, a_full_queue_drops_and_counts)
{
	static struct vgw_notify n;
	struct vgw_event ev = { .kind = VGW_EVENT_LEAVING };
	unsigned int k;

	notify_init(&n, "/nonexistent/hook", 1000, "lan0", 1);
	for (k = 0; k < NOTIFY_QUEUE + 3; k++)
		notify_queue(&n, &ev, 1);
	cr_assert_eq(n.n_queued, NOTIFY_QUEUE);
	cr_assert_eq(n.counters.dropped, 3);
	notify_init(&n, "", 1000, "lan0", 1);
	notify_queue(&n, &ev, 1);
	cr_assert_eq(n.n_queued, 0, "no --notify: nothing queued");
}
