// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Interface facts vgw load and vgw run warn by. */
#include <criterion/criterion.h>

#include "iface.h"

Test(iface, prefix_hosts_counts_host_addresses)
{
	cr_assert_eq(prefix_hosts(24), 254);
	cr_assert_eq(prefix_hosts(22), 1022);
	cr_assert_eq(prefix_hosts(21), 2046, "more than the kernel's default gc_thresh3 of 1024");
	cr_assert_eq(prefix_hosts(16), 65534);
	cr_assert_eq(prefix_hosts(31), 2);
	cr_assert_eq(prefix_hosts(32), 1);
	cr_assert_eq(prefix_hosts(0), 4294967294ull);
}

Test(iface, a_lan_larger_than_the_neighbour_table_is_warned_of)
{
	cr_assert(!neigh_table_too_small(24, 1024));
	cr_assert(!neigh_table_too_small(22, 1024), "1022 hosts fit");
	cr_assert(neigh_table_too_small(21, 1024));
	cr_assert(!neigh_table_too_small(16, 0), "unknown: no warning");
	cr_assert(!neigh_table_too_small(16, 65534));
	cr_assert(neigh_table_too_small(16, 65533));
}
