/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The counter structs of include/vgw_common.h, one table each, from which
 * vgw status (text and JSON) and /metrics are made: a new counter is one row.
 *
 * A row: X(field, family, label, help, words)
 *   field   the struct's field, and its key in vgw status --json
 *   family  its Prometheus family; label its sample's label there ("" none)
 *   help    the family's help, given on the family's first row (NULL after)
 *   words   what vgw status's summary line calls it (NULL: not on the line)
 * Rows of one family stand together, in the order /metrics lists them.
 */
#ifndef VGW_COUNTERS_H
#define VGW_COUNTERS_H

#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "vgw_common.h"

#define VGW_HELLO_COUNTERS(X)                                                                      \
	X(sent, "vgw_hellos_sent_total", "", "Hellos this router sent.", "sent")                   \
	X(received, "vgw_hellos_received_total", "", "Hellos accepted from other routers.",        \
	  "accepted")                                                                              \
	X(bad_ttl, "vgw_hellos_dropped_total", "reason=\"bad_ttl\"", "Hellos dropped, by reason.", \
	  NULL)                                                                                    \
	X(truncated, "vgw_hellos_dropped_total", "reason=\"truncated\"", NULL, NULL)               \
	X(oversized, "vgw_hellos_dropped_total", "reason=\"oversized\"", NULL, NULL)               \
	X(bad_magic, "vgw_hellos_dropped_total", "reason=\"bad_magic\"", NULL, NULL)               \
	X(bad_version, "vgw_hellos_dropped_total", "reason=\"bad_version\"", NULL, NULL)           \
	X(malformed, "vgw_hellos_dropped_total", "reason=\"malformed\"", NULL, NULL)               \
	X(wrong_group, "vgw_hellos_dropped_total", "reason=\"wrong_group\"", NULL, NULL)           \
	X(no_auth, "vgw_hellos_dropped_total", "reason=\"no_auth\"", NULL, NULL)                   \
	X(bad_auth, "vgw_hellos_dropped_total", "reason=\"bad_auth\"", NULL, NULL)                 \
	X(unexpected_auth, "vgw_hellos_dropped_total", "reason=\"unexpected_auth\"", NULL, NULL)   \
	X(replayed, "vgw_hellos_dropped_total", "reason=\"replayed\"", NULL, NULL)                 \
	X(too_many_peers, "vgw_hellos_dropped_total", "reason=\"too_many_peers\"", NULL, NULL)

#define VGW_ARP_COUNTERS(X)                                                                        \
	X(replies_avg, "vgw_arp_replies_total", "method=\"avg\"",                                  \
	  "ARP answers for the vIP, by method: avg (a chosen vMAC), probe (the vMAC asked).",      \
	  "answered by AVG")                                                                       \
	X(replies_probe, "vgw_arp_replies_total", "method=\"probe\"", NULL, "answered to probes")  \
	X(replies_dropped, "vgw_arp_replies_suppressed_total", "reason=\"not_avg\"",               \
	  "ARP answers for the vIP not sent, by reason.", "suppressed")                            \
	X(no_vmac, "vgw_arp_replies_suppressed_total", "reason=\"no_vmac\"", NULL, NULL)           \
	X(replies_failsafe, "vgw_arp_replies_suppressed_total", "reason=\"failed_safe\"", NULL,    \
	  NULL)                                                                                    \
	X(probes_remembered, "vgw_arp_probes_remembered_total", "",                                \
	  "Unicast ARP probes for the vIP to an owned vMAC, remembered to answer alike.",          \
	  "probes remembered")                                                                     \
	X(requests_dropped, "vgw_arp_requests_dropped_total", "",                                  \
	  "ARP requests with the vIP as sender, suppressed.", NULL)                                \
	X(pkt_type_fixed, "vgw_arp_pkt_type_fixed_total", "",                                      \
	  "Frames to a vMAC the kernel took for another host's, re-marked as this router's at tc " \
	  "ingress.",                                                                              \
	  NULL)

#define VGW_ND_COUNTERS(X)                                                                         \
	X(replies_avg, "vgw_nd_replies_total", "method=\"avg\"",                                   \
	  "Neighbor Advertisements for the virtual IPv6 addresses, by method: avg (a chosen "      \
	  "vMAC), probe (the vMAC asked), nud (no link-layer address: the host keeps its own).",   \
	  "answered by AVG")                                                                       \
	X(replies_probe, "vgw_nd_replies_total", "method=\"probe\"", NULL, "answered to probes")   \
	X(replies_plain, "vgw_nd_replies_total", "method=\"nud\"", NULL, "NUD answers")            \
	X(replies_dropped, "vgw_nd_replies_suppressed_total", "reason=\"not_avg\"",                \
	  "Neighbor Advertisements for the virtual IPv6 addresses not sent, by reason.",           \
	  "suppressed")                                                                            \
	X(no_vmac, "vgw_nd_replies_suppressed_total", "reason=\"no_vmac\"", NULL, NULL)            \
	X(replies_failsafe, "vgw_nd_replies_suppressed_total", "reason=\"failed_safe\"", NULL,     \
	  NULL)                                                                                    \
	X(unsolicited_dropped, "vgw_nd_replies_suppressed_total", "reason=\"unsolicited\"", NULL,  \
	  NULL)                                                                                    \
	X(malformed_dropped, "vgw_nd_replies_suppressed_total", "reason=\"malformed\"", NULL,      \
	  NULL)                                                                                    \
	X(probes_remembered, "vgw_nd_probes_remembered_total", "",                                 \
	  "Unicast NS (NUD) for a virtual IPv6 address to an owned vMAC, remembered.",             \
	  "probes remembered")                                                                     \
	X(ns_source_fixed, "vgw_nd_solicitations_resourced_total", "",                             \
	  "Neighbor Solicitations from a virtual address sent from the router's own link-local.",  \
	  NULL)                                                                                    \
	X(ra_foreign_dropped, "vgw_nd_router_adverts_dropped_total", "reason=\"foreign\"",         \
	  "Router Advertisements dropped: foreign (another default router than the virtual "       \
	  "link-local), sllao (the router's MAC in them), withdraw (router lifetime 0 from the "   \
	  "virtual link-local).",                                                                  \
	  NULL)                                                                                    \
	X(ra_sllao_dropped, "vgw_nd_router_adverts_dropped_total", "reason=\"sllao\"", NULL, NULL) \
	X(ra_withdraw_dropped, "vgw_nd_router_adverts_dropped_total", "reason=\"withdraw\"", NULL, \
	  NULL)

/* Per vMAC: each row its own family, a sample per vMAC (labelled by vMAC, index and owner). */
#define VGW_VMAC_COUNTERS(X)                                                                       \
	X(packets, "vgw_vmac_packets_total", "",                                                   \
	  "Frames to the vMAC this router accepted and forwarded.", NULL)                          \
	X(bytes, "vgw_vmac_bytes_total", "",                                                       \
	  "Bytes (Ethernet, no FCS) to the vMAC this router forwarded.", NULL)                     \
	X(misdelivered_packets, "vgw_vmac_misdelivered_packets_total", "",                         \
	  "Frames to the vMAC that reached this router while another owns it, dropped.", NULL)     \
	X(misdelivered_bytes, "vgw_vmac_misdelivered_bytes_total", "",                             \
	  "Bytes of the misdelivered frames.", NULL)

/* Per vMAC, with --handoff-ms: like VGW_VMAC_COUNTERS. */
#define VGW_HANDOFF_COUNTERS(X)                                                                    \
	X(sent_packets, "vgw_handoff_sent_packets_total", "",                                      \
	  "Frames to this vMAC sent on to its previous owner (connection handoff).", NULL)         \
	X(sent_bytes, "vgw_handoff_sent_bytes_total", "", "Bytes of those frames.", NULL)          \
	X(kept_packets, "vgw_handoff_kept_packets_total", "",                                      \
	  "Frames to this vMAC in a handoff window forwarded here: known or new flows.", NULL)     \
	X(received_packets, "vgw_handoff_received_packets_total", "",                              \
	  "Frames another router handed off to this one, by the vMAC hosts sent them to.", NULL)   \
	X(received_bytes, "vgw_handoff_received_bytes_total", "", "Bytes of those frames.", NULL)

struct vgw_counter_row {
	const char *field;
	size_t off;
	const char *family, *label, *help, *words;
};

struct vgw_counter_table {
	const struct vgw_counter_row *rows;
	size_t n;
};

extern const struct vgw_counter_table vgw_hello_counter_table, vgw_arp_counter_table,
	vgw_nd_counter_table, vgw_vmac_counter_table, vgw_handoff_counter_table;

/* Row i's value in the struct at base. */
__u64 counter_value(const struct vgw_counter_row *row, const void *base);

/* Each counter of the struct at base added to the one at sum (vMACs' totals). */
void counters_add(const struct vgw_counter_table *t, void *sum, const void *base);

/* Each counter into o, keyed by its field. */
void counters_to_json(struct json_object *o, const struct vgw_counter_table *t, const void *base);

/* The summary line's counters: "N words, N words, ..." (no newline). */
void counters_print_words(FILE *out, const struct vgw_counter_table *t, const void *base);

#endif
