// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>

#include "announce.h"
#include "vgw_common.h"

Test(vmac, layout_is_02_76_67_then_group_and_index)
{
	static const __u8 g1i1[6] = { 0x02, 0x76, 0x67, 0x00, 0x10, 0x01 };
	static const __u8 g4095i256[6] = { 0x02, 0x76, 0x67, 0xff, 0xf1, 0x00 };
	static const __u8 g0x123i0x0ab[6] = { 0x02, 0x76, 0x67, 0x12, 0x30, 0xab };
	__u8 mac[6];

	vgw_vmac_from_index(1, 1, mac);
	cr_assert_arr_eq(mac, g1i1, 6);
	vgw_vmac_from_index(4095, 256, mac);
	cr_assert_arr_eq(mac, g4095i256, 6);
	vgw_vmac_from_index(0x123, 0xab, mac);
	cr_assert_arr_eq(mac, g0x123i0x0ab, 6);
}

Test(vmac, is_locally_administered_unicast)
{
	__u8 mac[6];

	vgw_vmac_from_index(7, 9, mac);
	cr_assert_eq(mac[0] & 0x01, 0, "multicast bit must be clear");
	cr_assert_eq(mac[0] & 0x02, 0x02, "locally administered bit must be set");
}

Test(vmac, every_group_and_index_round_trips)
{
	__u16 group, index;
	__u8 mac[6];

	for (group = 0; group <= VGW_MAX_GROUP; group += 13)
		for (index = 1; index <= VGW_MAX_VMACS; index++) {
			vgw_vmac_from_index(group, index, mac);
			cr_assert_eq(vgw_vmac_to_index(mac, group, VGW_MAX_VMACS), index,
				     "group %u index %u", group, index);
		}
}

Test(vmac, foreign_addresses_are_not_vmacs)
{
	__u8 mac[6];

	vgw_vmac_from_index(5, 3, mac);
	cr_assert_eq(vgw_vmac_to_index(mac, 6, 16), 0, "another group");
	cr_assert_eq(vgw_vmac_to_index(mac, 5, 2), 0, "beyond the pool");
	vgw_vmac_from_index(5, 0, mac);
	cr_assert_eq(vgw_vmac_to_index(mac, 5, 16), 0, "index 0");
	vgw_vmac_from_index(5, 3, mac);
	mac[0] = 0x03;
	cr_assert_eq(vgw_vmac_to_index(mac, 5, 16), 0, "multicast");
	vgw_vmac_from_index(5, 3, mac);
	mac[2] = 0x68;
	cr_assert_eq(vgw_vmac_to_index(mac, 5, 16), 0, "other prefix");
}

Test(announce, is_an_rfc5227_probe_from_the_vmac)
{
	static const __u8 want[60] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x76, 0x67, 0x00, 0x10, 0x03, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x76, 0x67, 0x00, 0x10, 0x03,
		0,    0,    0,	  0,	0,    0,    0,	  0,	0,    0,    10,	  77,	0,    2,
	};
	static const __u8 ip[4] = { 10, 77, 0, 2 };
	__u8 mac[6], buf[VGW_ANNOUNCE_LEN];

	vgw_vmac_from_index(1, 3, mac);
	cr_assert_eq(vmac_announce_frame(buf, mac, ip), 60);
	cr_assert_arr_eq(buf, want, 60);
}
