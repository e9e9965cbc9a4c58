// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <string.h>

#include "adopt.h"

static void left_behind(struct vgw_config *cfg, struct vgw_cli *cli, uint8_t mac[6])
{
	static const uint8_t m[6] = { 2, 0, 0, 0, 0, 1 };

	memset(cfg, 0, sizeof(*cfg));
	memset(cli, 0, sizeof(*cli));
	cfg->group = cli->group = 1;
	cfg->n_vmacs = cli->n_vmacs = 8;
	inet_pton(AF_INET, "10.77.0.1", cfg->vip);
	inet_pton(AF_INET, "10.77.0.1", &cli->vip);
	memcpy(cfg->ifmac, m, 6);
	memcpy(mac, m, 6);
}

Test(adopt, the_same_settings_are_adopted)
{
	struct vgw_config cfg;
	struct vgw_cli cli;
	uint8_t mac[6];
	char why[128] = "";

	left_behind(&cfg, &cli, mac);
	cr_assert_not(adopt_mismatch(&cfg, &cli, mac, why, sizeof(why)));
	cr_assert_str_empty(why);
}

Test(adopt, each_difference_is_named_with_both_values)
{
	struct vgw_config cfg;
	struct vgw_cli cli;
	uint8_t mac[6];
	char why[128];

	left_behind(&cfg, &cli, mac);
	cli.n_vmacs = 6;
	cr_assert(adopt_mismatch(&cfg, &cli, mac, why, sizeof(why)));
	cr_assert_str_eq(why, "vmacs 8, the config says 6");

	left_behind(&cfg, &cli, mac);
	inet_pton(AF_INET, "10.77.0.9", &cli.vip);
	cr_assert(adopt_mismatch(&cfg, &cli, mac, why, sizeof(why)));
	cr_assert_str_eq(why, "vip 10.77.0.1, the config says 10.77.0.9");

	left_behind(&cfg, &cli, mac);
	cli.group = 2;
	cr_assert(adopt_mismatch(&cfg, &cli, mac, why, sizeof(why)));
	cr_assert_str_eq(why, "group 1, the config says 2");

	left_behind(&cfg, &cli, mac);
	cli.fast_path = true;
	cr_assert(adopt_mismatch(&cfg, &cli, mac, why, sizeof(why)));
	cr_assert_str_eq(why, "the fast path off, the config has it on");

	left_behind(&cfg, &cli, mac);
	mac[5] = 0x22;
	cr_assert(adopt_mismatch(&cfg, &cli, mac, why, sizeof(why)));
	cr_assert_str_eq(why,
			 "the interface's MAC 02:00:00:00:00:01, it has 02:00:00:00:00:22 now");
}
