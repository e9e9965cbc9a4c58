// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Smoothed per-vMAC rates (rates.c) on a fake clock. */
#include <criterion/criterion.h>
#include <string.h>

#include "rates.h"

static struct vgw_rates r;
static struct vgw_vmac_counters c[VGW_VMAC_SLOTS];
static struct vgw_vmac_rate rates[VGW_VMAC_SLOTS];
static bool ours[VGW_VMAC_SLOTS];

static void setup(void)
{
	memset(&r, 0, sizeof(r));
	memset(c, 0, sizeof(c));
	memset(rates, 0, sizeof(rates));
	memset(ours, 0, sizeof(ours));
}

TestSuite(rates, .init = setup);

Test(rates, without_smoothing_a_rate_is_the_last_interval)
{
	ours[1] = true;
	rates_poll(&r, 0, 2, c, ours, rates, 1000);
	c[1].packets = 500;
	c[1].bytes = 50000;
	rates_poll(&r, 0, 2, c, ours, rates, 1500);
	cr_assert_eq(rates[1].pps, 1000);
	cr_assert_eq(rates[1].bps, 100000);
}

Test(rates, smoothing_moves_a_time_constant_by_63_percent)
{
	unsigned int t;

	ours[1] = true;
	rates_poll(&r, 1000, 1, c, ours, rates, 1000);
	/* 1000 pps steady from 0: after one time constant, 1 - 1/e of it */
	for (t = 1; t <= 10; t++) {
		c[1].packets += 100;
		rates_poll(&r, 1000, 1, c, ours, rates, 1000 + t * 100);
	}
	cr_assert_eq(rates[1].pps, 632);
}

Test(rates, a_vmac_taken_over_starts_from_its_previous_owners_report)
{
	rates[2] = (struct vgw_vmac_rate){ 400, 40000 };
	rates_poll(&r, 1000, 2, c, ours, rates, 1000);
	cr_assert_eq(rates[2].pps, 400, "another's vMAC keeps its owner's report");
	ours[2] = true;
	c[2].packets = 40; /* 400 pps for 100 ms */
	c[2].bytes = 4000;
	rates_poll(&r, 1000, 2, c, ours, rates, 1100);
	cr_assert_eq(rates[2].pps, 400);
	cr_assert_eq(rates[2].bps, 40000);
}
