// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counters.h"

static const struct vgw_counter_table *const tables[] = {
	&vgw_hello_counter_table, &vgw_arp_counter_table,     &vgw_nd_counter_table,
	&vgw_vmac_counter_table,  &vgw_handoff_counter_table,
};

/* /metrics gives each family one HELP and TYPE: its rows must stand together. */
Test(counters, a_family_stands_together_with_its_help_first)
{
	size_t t, i, k;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		const struct vgw_counter_table *tb = tables[t];

		for (i = 0; i < tb->n; i++) {
			bool first = !i || strcmp(tb->rows[i].family, tb->rows[i - 1].family);

			cr_expect_eq(tb->rows[i].help != NULL, first, "table %zu row %s: help %s",
				     t, tb->rows[i].field, first ? "missing" : "given twice");
			if (!first)
				continue;
			for (k = 0; k < i; k++)
				cr_expect_neq(strcmp(tb->rows[k].family, tb->rows[i].family), 0,
					      "table %zu: family %s in two places", t,
					      tb->rows[i].family);
		}
	}
}

Test(counters, each_field_is_listed_once)
{
	size_t t, i, k;

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		const struct vgw_counter_table *tb = tables[t];
		bool seen[64] = { false };

		for (i = 0; i < tb->n; i++) {
			size_t slot = tb->rows[i].off / sizeof(__u64);

			cr_assert_lt(slot, 64);
			cr_expect(!seen[slot], "table %zu: field %s listed twice", t,
				  tb->rows[i].field);
			seen[slot] = true;
			for (k = 0; k < i; k++)
				cr_expect_neq(strcmp(tb->rows[k].field, tb->rows[i].field), 0);
		}
	}
}

Test(counters, the_summary_line_and_the_json_come_from_the_rows)
{
	struct vgw_arp_counters a = { .replies_avg = 5,
				      .replies_probe = 3,
				      .replies_dropped = 2,
				      .probes_remembered = 1,
				      .pkt_type_fixed = 9 };
	struct json_object *o = json_object_new_object();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	counters_print_words(f, &vgw_arp_counter_table, &a);
	fclose(f);
	cr_expect_str_eq(text, "5 answered by AVG, 3 answered to probes, 2 suppressed, "
			       "1 probes remembered");
	counters_to_json(o, &vgw_arp_counter_table, &a);
	cr_expect_eq(json_object_object_length(o), 8);
	cr_expect_eq(json_object_get_uint64(json_object_object_get(o, "pkt_type_fixed")), 9);
	cr_expect_eq(json_object_get_uint64(json_object_object_get(o, "requests_dropped")), 0);
	json_object_put(o);
	free(text);
}

Test(counters, the_vmacs_totals_add_every_field)
{
	struct vgw_handoff_counters sum = { .sent_packets = 1 }, v = { .sent_packets = 2,
								       .sent_bytes = 3,
								       .kept_packets = 4,
								       .received_packets = 5,
								       .received_bytes = 6 };

	counters_add(&vgw_handoff_counter_table, &sum, &v);
	cr_assert_eq(sum.sent_packets, 3);
	cr_assert_eq(sum.sent_bytes, 3);
	cr_assert_eq(sum.kept_packets, 4);
	cr_assert_eq(sum.received_packets, 5);
	cr_assert_eq(sum.received_bytes, 6);
}
