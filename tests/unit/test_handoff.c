// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* handoff.c's rules: when a window opens and ends, what a drain waits for. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "handoff.h"

static struct vgw_peer live_peer(uint64_t heard)
{
	struct vgw_peer p = { .id = htonl(0x0a000002),
			      .state = VGW_STATE_LISTEN,
			      .hold_ms = 300,
			      .hello_ms = 100,
			      .heard_ms = heard,
			      .has_mac = true,
			      .mac = { 0x52, 0x54, 0, 0, 0, 1 } };
	return p;
}

Test(handoff, a_window_opens_only_to_a_live_router_that_named_its_mac)
{
	struct vgw_handoff_window w;
	struct vgw_peer p = live_peer(1000);

	cr_assert(handoff_open(&w, &p, 5000, 1000));
	cr_expect_eq(w.to, p.id);
	cr_expect_arr_eq(w.mac, p.mac, 6);
	cr_expect_eq(w.start_ms, 1000);
	cr_expect_eq(w.until_ms, 6000);
	/* heard 199 ms ago: one hello lost, the next due: still live */
	cr_expect(handoff_open(&w, &p, 5000, 1199));
	/* 200 ms: with the next hello lost too, it is given up on at 300 */
	cr_expect(!handoff_open(&w, &p, 5000, 1200));
	cr_expect_eq(w.to, 0, "no window is left behind");
	cr_expect(!handoff_open(&w, NULL, 5000, 1000), "no previous owner");
	cr_expect(!handoff_open(&w, &p, 0, 1000), "--handoff-ms 0");
	p.has_mac = false;
	cr_expect(!handoff_open(&w, &p, 5000, 1000), "hellos without a MAC");
}

Test(handoff, a_window_ends_when_over_gone_moved_or_off)
{
	struct vgw_group g = { .n_peers = 1 };
	struct vgw_peer p = live_peer(1000);
	struct vgw_handoff_window w;

	g.peers[0] = p;
	g.cfg.n_vmacs = 8;
	cr_assert(handoff_open(&w, &p, 5000, 1000));
	cr_expect_eq(handoff_check(&w, &g, VGW_VMAC_OWNED, 0, true, 5000, 5999), VGW_HANDOFF_GOING);
	cr_expect_eq(handoff_check(&w, &g, VGW_VMAC_OWNED, 0, true, 5000, 6000), VGW_HANDOFF_OVER);
	cr_expect_eq(handoff_check(&w, &g, VGW_VMAC_FOREIGN, w.to, true, 5000, 2000),
		     VGW_HANDOFF_MOVED, "back to the router the window goes to");
	cr_expect_eq(handoff_check(&w, &g, VGW_VMAC_FOREIGN, w.to + 1, true, 5000, 2000),
		     VGW_HANDOFF_GOING, "moved on to a third: what it hands here goes on");
	cr_expect_eq(handoff_check(&w, &g, VGW_VMAC_UNUSED, 0, true, 5000, 2000),
		     VGW_HANDOFF_UNUSED, "out of the pool");
	cr_expect_eq(handoff_check(&w, &g, VGW_VMAC_RELEASING, 0, true, 5000, 2000),
		     VGW_HANDOFF_GOING, "frames still come while the switch relearns");
	cr_expect_eq(handoff_check(&w, &g, VGW_VMAC_OWNED, 0, true, 0, 2000), VGW_HANDOFF_OFF);
	cr_expect_eq(handoff_check(&w, &g, VGW_VMAC_OWNED, 0, false, 5000, 2000),
		     VGW_HANDOFF_NO_TX);
	g.n_peers = 0;
	cr_expect_eq(handoff_check(&w, &g, VGW_VMAC_OWNED, 0, true, 5000, 2000), VGW_HANDOFF_GONE);
	cr_expect_str_eq(handoff_end_str(VGW_HANDOFF_GONE), "that router is gone");
	cr_expect_str_eq(handoff_end_str(VGW_HANDOFF_MOVED), "the vMAC went back to that router");
	cr_expect_str_eq(handoff_end_str(VGW_HANDOFF_UNUSED), "the vMAC left the pool");
}

Test(handoff, a_drain_waits_while_flows_are_open_and_time_is_left)
{
	struct vgw_drain v = { .started_ms = 1000,
			       .released_ms = 1000,
			       .drain_ms = 5000,
			       .hello_ms = 100,
			       .flows_open = 3,
			       .flows_at = 2000 };

	cr_expect_eq(handoff_draining(&v, 5999), VGW_DRAIN_FLOWS);
	cr_expect_eq(handoff_draining(&v, 6000), VGW_DRAIN_DONE, "the time is up");
	v.flows_open = 0;
	cr_expect_eq(handoff_draining(&v, 2100), VGW_DRAIN_DONE, "none left");
	v.drain_ms = 0;
	v.flows_open = 3;
	cr_expect_eq(handoff_draining(&v, 2000), VGW_DRAIN_DONE, "--drain-ms 0");
}

Test(handoff, a_drain_recounts_once_the_new_owners_could_hand_anything_back)
{
	struct vgw_drain v = { .started_ms = 1000,
			       .released_ms = 1200,
			       .drain_ms = 8000,
			       .hello_ms = 100,
			       .flows_open = 0,
			       .flows_at = 2199 };

	cr_expect_eq(handoff_settled_at(1200, 100), 2200, "at least VGW_HANDOFF_SETTLE_MS");
	cr_expect_eq(handoff_settled_at(1200, 3000), 7200, "two hellos");
	cr_expect_eq(handoff_draining(&v, 2300), VGW_DRAIN_RECOUNT,
		     "none counted before the release settled says nothing");
	v.flows_at = 2200;
	cr_expect_eq(handoff_draining(&v, 2300), VGW_DRAIN_DONE);
	v.flows_at = 1500;
	cr_expect_eq(handoff_draining(&v, 9000), VGW_DRAIN_DONE, "the time is up all the same");
}

Test(handoff, a_flow_is_open_until_idle_or_shortly_after_its_fin)
{
	struct vgw_flow_seen f = { .last_ns = 1000000000ULL };
	uint64_t ms = 1000000ULL;

	cr_expect(handoff_flow_open(&f, f.last_ns + (VGW_HANDOFF_IDLE_MS - 1) * ms));
	cr_expect(!handoff_flow_open(&f, f.last_ns + VGW_HANDOFF_IDLE_MS * ms));
	f.closed = 1;
	cr_expect(handoff_flow_open(&f, f.last_ns + (VGW_HANDOFF_LINGER_MS - 1) * ms));
	cr_expect(!handoff_flow_open(&f, f.last_ns + VGW_HANDOFF_LINGER_MS * ms));
	cr_expect(handoff_flow_open(&f, f.last_ns - 5), "a frame on another CPU, just now");
}
