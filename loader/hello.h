/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The group's hello message: encoding and decoding, pure (bytes in, struct
 * out and back). The byte layout is in docs/protocol.md.
 */
#ifndef VGW_HELLO_H
#define VGW_HELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vgw_common.h"

#define VGW_HELLO_VERSION 1
#define VGW_HELLO_MAX	  1400 /* fits one Ethernet frame with IPv4 and UDP headers */
#define VGW_HELLO_HDR_LEN 24
#define VGW_MAX_ROUTERS	  16
#define VGW_HMAC_LEN	  32
#define VGW_KEY_MAX	  64
#define VGW_OWNER_NONE	  0xff

struct vgw_hello_rate {
	uint16_t index;
	uint32_t pps;
	uint64_t bps; /* bytes per second */
};

struct vgw_hello_ownership {
	uint32_t epoch;
	uint8_t n_routers;
	uint16_t n_vmacs;
	uint32_t routers[VGW_MAX_ROUTERS]; /* router ids, network order */
	uint8_t owner[VGW_MAX_VMACS + 1];  /* owner[index]: slot in routers[], or VGW_OWNER_NONE */
};

struct vgw_hello {
	uint16_t group;
	uint32_t router_id; /* network order */
	uint64_t seq;
	uint8_t priority;
	uint8_t weight;
	uint8_t state; /* enum vgw_router_state */
	uint32_t hello_ms;
	uint32_t hold_ms;
	bool has_params; /* the settings every router of a group must share */
	uint32_t vip;	 /* network order; 0: none */
	uint16_t n_vmacs;
	bool has_params6; /* the IPv6 virtual addresses: sent where there are some */
	uint8_t vip6[16]; /* all zero: none (and where has_params6 is false) */
	uint8_t vip6_global[16];
	bool has_mac; /* the sender's own MAC on the LAN: where handed-off frames go */
	uint8_t mac[6];
	bool has_ownership; /* only the AVG sends the table */
	struct vgw_hello_ownership own;
	uint16_t n_rates;
	struct vgw_hello_rate rates[VGW_MAX_VMACS];
};

struct vgw_key {
	size_t len; /* 0: no authentication */
	uint8_t bytes[VGW_KEY_MAX];
};

enum vgw_hello_err {
	VGW_HELLO_OK = 0,
	VGW_HELLO_TRUNCATED,
	VGW_HELLO_OVERSIZED,
	VGW_HELLO_BAD_MAGIC,
	VGW_HELLO_BAD_VERSION,
	VGW_HELLO_MALFORMED,
	VGW_HELLO_WRONG_GROUP,
	VGW_HELLO_NO_AUTH,	   /* a key is set and the hello carries none */
	VGW_HELLO_BAD_AUTH,	   /* wrong key or altered */
	VGW_HELLO_UNEXPECTED_AUTH, /* no key is set and the hello is signed */
	VGW_HELLO_ERR_COUNT,
};

const char *vgw_hello_strerror(enum vgw_hello_err err);

/*
 * How many rate entries fit in h beside its other fields (signed or not)
 * within VGW_HELLO_MAX. A router with more vMACs than that reports them over
 * several hellos.
 */
unsigned int hello_rates_room(const struct vgw_hello *h, bool is_signed);

/* Encode h into buf (signed with key when key->len > 0). Returns the length, or -EMSGSIZE. */
int hello_encode(const struct vgw_hello *h, const struct vgw_key *key, uint8_t *buf, size_t cap);

/* Decode and check buf for group. Replays are the group state's to judge (seq). */
enum vgw_hello_err hello_decode(const uint8_t *buf, size_t len, uint16_t group,
				const struct vgw_key *key, struct vgw_hello *out);

#endif
