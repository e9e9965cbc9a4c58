// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>

#include "counters.h"

#define COUNTER_ROW(type, f, fam, lab, hlp, wrd)                                                   \
	{ .field = #f,                                                                             \
	  .off = offsetof(type, f),                                                                \
	  .family = fam,                                                                           \
	  .label = lab,                                                                            \
	  .help = hlp,                                                                             \
	  .words = wrd },
#define HELLO_ROW(...)	 COUNTER_ROW(struct vgw_hello_counters, __VA_ARGS__)
#define ARP_ROW(...)	 COUNTER_ROW(struct vgw_arp_counters, __VA_ARGS__)
#define ND_ROW(...)	 COUNTER_ROW(struct vgw_nd_counters, __VA_ARGS__)
#define VMAC_ROW(...)	 COUNTER_ROW(struct vgw_vmac_counters, __VA_ARGS__)
#define HANDOFF_ROW(...) COUNTER_ROW(struct vgw_handoff_counters, __VA_ARGS__)

static const struct vgw_counter_row hello_rows[] = { VGW_HELLO_COUNTERS(HELLO_ROW) };
static const struct vgw_counter_row arp_rows[] = { VGW_ARP_COUNTERS(ARP_ROW) };
static const struct vgw_counter_row nd_rows[] = { VGW_ND_COUNTERS(ND_ROW) };
static const struct vgw_counter_row vmac_rows[] = { VGW_VMAC_COUNTERS(VMAC_ROW) };
static const struct vgw_counter_row handoff_rows[] = { VGW_HANDOFF_COUNTERS(HANDOFF_ROW) };

#define ROWS(a) (sizeof(a) / sizeof((a)[0]))
/* every field of each struct has its row */
_Static_assert(ROWS(hello_rows) == sizeof(struct vgw_hello_counters) / sizeof(__u64),
	       "a hello counter without a row in VGW_HELLO_COUNTERS");
_Static_assert(ROWS(arp_rows) == sizeof(struct vgw_arp_counters) / sizeof(__u64),
	       "an ARP counter without a row in VGW_ARP_COUNTERS");
_Static_assert(ROWS(nd_rows) == sizeof(struct vgw_nd_counters) / sizeof(__u64),
	       "an ND counter without a row in VGW_ND_COUNTERS");
_Static_assert(ROWS(vmac_rows) == sizeof(struct vgw_vmac_counters) / sizeof(__u64),
	       "a vMAC counter without a row in VGW_VMAC_COUNTERS");
_Static_assert(ROWS(handoff_rows) == sizeof(struct vgw_handoff_counters) / sizeof(__u64),
	       "a handoff counter without a row in VGW_HANDOFF_COUNTERS");

const struct vgw_counter_table vgw_hello_counter_table = { hello_rows, ROWS(hello_rows) };
const struct vgw_counter_table vgw_arp_counter_table = { arp_rows, ROWS(arp_rows) };
const struct vgw_counter_table vgw_nd_counter_table = { nd_rows, ROWS(nd_rows) };
const struct vgw_counter_table vgw_vmac_counter_table = { vmac_rows, ROWS(vmac_rows) };
const struct vgw_counter_table vgw_handoff_counter_table = { handoff_rows, ROWS(handoff_rows) };

__u64 counter_value(const struct vgw_counter_row *row, const void *base)
{
	__u64 v;

	memcpy(&v, (const char *)base + row->off, sizeof(v));
	return v;
}

void counters_to_json(struct json_object *o, const struct vgw_counter_table *t, const void *base)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		json_object_object_add(o, t->rows[i].field,
				       json_object_new_uint64(counter_value(&t->rows[i], base)));
}

void counters_print_words(FILE *out, const struct vgw_counter_table *t, const void *base)
{
	const char *sep = "";
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (!t->rows[i].words)
			continue;
		fprintf(out, "%s%llu %s", sep, (unsigned long long)counter_value(&t->rows[i], base),
			t->rows[i].words);
		sep = ", ";
	}
}

void counters_add(const struct vgw_counter_table *t, void *sum, const void *base)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		__u64 v = counter_value(&t->rows[i], sum) + counter_value(&t->rows[i], base);

		memcpy((char *)sum + t->rows[i].off, &v, sizeof(v));
	}
}
