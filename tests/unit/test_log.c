// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>

#include "log.h"

Test(log, a_lines_syslog_priority_comes_from_its_words_then_its_level)
{
	cr_assert_eq(log_priority(VGW_LOG_WARN, "vgw: error: no interface named 'x'\n"), 3);
	cr_assert_eq(log_priority(VGW_LOG_WARN, "vgw: warning: cannot announce vMAC 3\n"), 4);
	/* pr_info lines that say warning are warnings */
	cr_assert_eq(log_priority(VGW_LOG_INFO, "vgw: warning: net.ipv4.ip_forward is 0\n"), 4);
	cr_assert_eq(log_priority(VGW_LOG_WARN, "vgw: lan0: stopping before the group took over\n"),
		     4);
	cr_assert_eq(log_priority(VGW_LOG_INFO, "vgw: lan0: role avg\n"), 6);
	cr_assert_eq(log_priority(VGW_LOG_DEBUG, "libbpf: loading object\n"), 7);
}

Test(log, the_journal_is_recognised_by_its_device_and_inode)
{
	cr_assert(log_journal_stream("8:123456", 8, 123456));
	cr_assert_not(log_journal_stream("8:123456", 8, 123457), "another file");
	cr_assert_not(log_journal_stream("9:123456", 8, 123456), "another device");
	cr_assert_not(log_journal_stream(NULL, 8, 123456), "not under systemd");
	cr_assert_not(log_journal_stream("garbage", 8, 123456));
}
