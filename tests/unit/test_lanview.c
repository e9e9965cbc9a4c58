// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The switch's view (lanview.c): who tells the LAN about a vMAC, and when. */
#include <criterion/criterion.h>
#include <string.h>

#include "lanview.h"

#define N 4

static struct vgw_lanview lv;
static uint8_t st[VGW_VMAC_SLOTS];
static uint16_t ann[VGW_VMAC_SLOTS];

static unsigned int update(bool changed, uint64_t now)
{
	return lanview_update(&lv, st, N, changed, 100, 300, now, ann);
}

static void setup(void)
{
	memset(&lv, 0, sizeof(lv));
	memset(st, VGW_VMAC_FOREIGN, sizeof(st));
}

TestSuite(lanview, .init = setup);

Test(lanview, owned_vmacs_are_told_once_then_a_hello_and_a_hold_time_later)
{
	st[2] = st[4] = VGW_VMAC_OWNED;
	cr_assert_eq(update(false, 1000), 2);
	cr_assert_eq(ann[0], 2);
	cr_assert_eq(ann[1], 4);
	cr_assert_eq(update(false, 1050), 0);
	cr_assert_eq(lanview_next(&lv, N), 1100);
	cr_assert_eq(update(false, 1100), 2, "the repeat");
	cr_assert_eq(update(false, 1200), 0);
	cr_assert_eq(lanview_next(&lv, N), 1400);
	cr_assert_eq(update(false, 1399), 0);
	cr_assert_eq(update(false, 1400), 2, "the last repeat, past a late previous owner's");
	cr_assert_eq(update(false, 1500), 0);
	cr_assert_eq(update(false, 60999), 0);
	cr_assert_eq(lanview_next(&lv, N), 61000);
	cr_assert_eq(update(false, 61000), 2, "the refresh");
}

Test(lanview, any_change_in_the_group_retells_every_owned_vmac)
{
	st[1] = st[3] = VGW_VMAC_OWNED;
	update(false, 1000);
	update(false, 1100);
	update(false, 1400);
	cr_assert_eq(update(false, 2000), 0);
	cr_assert_eq(update(true, 2010), 2);
	cr_assert_eq(update(false, 2110), 2, "and its repeat");
	cr_assert_eq(update(false, 2410), 2, "and its last");
}

/*
 * Chaos seed 5: r2 came back and was given vMAC 11 by the AVG; r1, losing
 * a third of its hellos, still had it, heard r2 appear and announced it
 * (after r2's two), and only then learnt of the new table. The switch kept
 * vMAC 11 on r1's port, where it is dropped, until r2 next said anything
 * from it: 5 s. r2's last repeat a hold time on comes after r1 can have.
 */
Test(lanview, a_gained_vmac_is_told_again_after_a_late_previous_owner_could_have)
{
	st[1] = VGW_VMAC_OWNED;
	cr_assert_eq(update(false, 173619), 1, "gained");
	cr_assert_eq(update(false, 173719), 1);
	/* r1 announces vMAC 11 at about 173800, releases it at 173894 */
	cr_assert_eq(update(false, 174018), 0);
	cr_assert_eq(update(false, 174019), 1, "after the previous owner let it go");
	cr_assert_eq(ann[0], 1);
}

Test(lanview, a_vmac_given_away_and_back_is_told_again)
{
	st[1] = VGW_VMAC_OWNED;
	update(false, 1000);
	update(false, 1100);
	st[1] = VGW_VMAC_RELEASING;
	cr_assert_eq(update(false, 1200), 0, "the new owner tells the LAN, not us");
	cr_assert_eq(update(false, 1400), 0, "its last repeat is dropped too");
	st[1] = VGW_VMAC_OWNED;
	cr_assert_eq(update(false, 1300), 1);
	cr_assert_eq(ann[0], 1);
}
