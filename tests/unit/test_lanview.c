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
	return lanview_update(&lv, st, N, changed, 100, now, ann);
}

static void setup(void)
{
	memset(&lv, 0, sizeof(lv));
	memset(st, VGW_VMAC_FOREIGN, sizeof(st));
}

TestSuite(lanview, .init = setup);

Test(lanview, owned_vmacs_are_told_once_then_once_more_a_hello_later)
{
	st[2] = st[4] = VGW_VMAC_OWNED;
	cr_assert_eq(update(false, 1000), 2);
	cr_assert_eq(ann[0], 2);
	cr_assert_eq(ann[1], 4);
	cr_assert_eq(update(false, 1050), 0);
	cr_assert_eq(lanview_next(&lv, N), 1100);
	cr_assert_eq(update(false, 1100), 2, "the repeat");
	cr_assert_eq(update(false, 1200), 0);
	cr_assert_eq(update(false, 60999), 0);
	cr_assert_eq(lanview_next(&lv, N), 61000);
	cr_assert_eq(update(false, 61000), 2, "the refresh");
}

Test(lanview, any_change_in_the_group_retells_every_owned_vmac)
{
	st[1] = st[3] = VGW_VMAC_OWNED;
	update(false, 1000);
	update(false, 1100);
	cr_assert_eq(update(false, 2000), 0);
	cr_assert_eq(update(true, 2010), 2);
	cr_assert_eq(update(false, 2110), 2, "and its repeat");
}

Test(lanview, a_vmac_given_away_and_back_is_told_again)
{
	st[1] = VGW_VMAC_OWNED;
	update(false, 1000);
	update(false, 1100);
	st[1] = VGW_VMAC_RELEASING;
	cr_assert_eq(update(false, 1200), 0, "the new owner tells the LAN, not us");
	st[1] = VGW_VMAC_OWNED;
	cr_assert_eq(update(false, 1300), 1);
	cr_assert_eq(ann[0], 1);
}
