// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "hello.h"

static const struct vgw_key no_key = { 0 };
static const struct vgw_key key = { 11, "hunter2-key" };
static const struct vgw_key other_key = { 11, "hunter3-key" };

static struct vgw_hello sample(void)
{
	struct vgw_hello h = { 0 };

	h.group = 7;
	h.router_id = htonl(0x0a4d0002); /* 10.77.0.2 */
	h.seq = 0x0102030405060708ULL;
	h.priority = 150;
	h.weight = 100;
	h.state = VGW_STATE_AVG;
	h.hello_ms = 1000;
	h.hold_ms = 3000;
	h.has_ownership = true;
	h.own.epoch = 42;
	h.own.n_routers = 2;
	h.own.n_vmacs = 4;
	h.own.routers[0] = htonl(0x0a4d0002);
	h.own.routers[1] = htonl(0x0a4d0003);
	memset(h.own.owner, VGW_OWNER_NONE, sizeof(h.own.owner));
	h.own.owner[1] = 0, h.own.owner[2] = 1, h.own.owner[3] = 0, h.own.owner[4] = 1;
	h.n_rates = 2;
	h.rates[0] = (struct vgw_hello_rate){ 1, 1000, 1500000 };
	h.rates[1] = (struct vgw_hello_rate){ 3, 7, 0x1122334455ULL };
	return h;
}

static void expect_same(const struct vgw_hello *a, const struct vgw_hello *b)
{
	cr_expect_eq(a->group, b->group);
	cr_expect_eq(a->router_id, b->router_id);
	cr_expect_eq(a->seq, b->seq);
	cr_expect_eq(a->priority, b->priority);
	cr_expect_eq(a->weight, b->weight);
	cr_expect_eq(a->state, b->state);
	cr_expect_eq(a->hello_ms, b->hello_ms);
	cr_expect_eq(a->hold_ms, b->hold_ms);
	cr_expect_eq(a->has_ownership, b->has_ownership);
	if (!a->has_ownership)
		goto rates;
	cr_expect_eq(a->own.epoch, b->own.epoch);
	cr_expect_eq(a->own.n_routers, b->own.n_routers);
	cr_expect_eq(a->own.n_vmacs, b->own.n_vmacs);
	cr_expect_arr_eq(a->own.routers, b->own.routers, 4 * a->own.n_routers);
	cr_expect_arr_eq(a->own.owner + 1, b->own.owner + 1, a->own.n_vmacs);
rates:
	cr_expect_eq(a->n_rates, b->n_rates);
	cr_expect_arr_eq(a->rates, b->rates, a->n_rates * sizeof(a->rates[0]));
}

Test(hello, round_trip_signed_and_unsigned)
{
	struct vgw_hello h = sample(), got;
	uint8_t buf[VGW_HELLO_MAX];
	int len;

	len = hello_encode(&h, &key, buf, sizeof(buf));
	cr_assert_eq(len, 24 + 15 + 3 + 8 + 8 + 4 + 3 + 28 + 3 + 32);
	cr_assert_eq(hello_decode(buf, len, 7, &key, &got), VGW_HELLO_OK);
	expect_same(&h, &got);

	h.has_ownership = false;
	h.n_rates = 0;
	len = hello_encode(&h, &no_key, buf, sizeof(buf));
	cr_assert_eq(len, 24 + 15);
	memset(&got, 0x5a, sizeof(got));
	cr_assert_eq(hello_decode(buf, len, 7, &no_key, &got), VGW_HELLO_OK);
	expect_same(&h, &got);
}

Test(hello, wire_layout_is_as_documented)
{
	static const uint8_t want[] = {
		0x76, 0x47, 1,	  1,	0,   39, 0, 7, 10, 77,	 0,    2, /* header */
		1,    2,    3,	  4,	5,   6,	 7, 8, 0,  0,	 0,    0,
		1,    0,    12,	  150,	100, 2,	 0, 0, 0,  0x03, 0xe8, /* ROUTER */
		0,    0,    0x0b, 0xb8,
	};
	struct vgw_hello h = sample();
	uint8_t buf[VGW_HELLO_MAX];

	h.state = VGW_STATE_STANDBY;
	h.has_ownership = false;
	h.n_rates = 0;
	cr_assert_eq(hello_encode(&h, &no_key, buf, sizeof(buf)), (int)sizeof(want));
	cr_assert_arr_eq(buf, want, sizeof(want));
}

Test(hello, too_big_to_send_is_refused)
{
	struct vgw_hello h = sample();
	uint8_t buf[4096];
	int i;

	h.n_rates = VGW_MAX_VMACS;
	for (i = 0; i < VGW_MAX_VMACS; i++)
		h.rates[i] = (struct vgw_hello_rate){ i + 1, 1, 1 };
	cr_assert_eq(hello_encode(&h, &key, buf, sizeof(buf)), -EMSGSIZE);
	h.n_rates = 10;
	cr_assert_eq(hello_encode(&h, &key, buf, 60), -EMSGSIZE, "buffer smaller than the hello");
}

Test(hello, every_truncation_is_rejected)
{
	struct vgw_hello h = sample(), got;
	uint8_t buf[VGW_HELLO_MAX];
	int len = hello_encode(&h, &key, buf, sizeof(buf)), cut;

	for (cut = 0; cut < len; cut++)
		cr_expect_neq(hello_decode(buf, cut, 7, &key, &got), VGW_HELLO_OK, "cut at %d",
			      cut);
	cr_expect_eq(hello_decode(buf, 10, 7, &key, &got), VGW_HELLO_TRUNCATED);
	cr_expect_eq(hello_decode(buf, len - 1, 7, &key, &got), VGW_HELLO_TRUNCATED);
}

Test(hello, every_altered_byte_of_a_signed_hello_is_rejected)
{
	struct vgw_hello h = sample(), got;
	uint8_t buf[VGW_HELLO_MAX];
	int len = hello_encode(&h, &key, buf, sizeof(buf)), i;

	for (i = 0; i < len; i++) {
		buf[i] ^= 0x01;
		cr_expect_neq(hello_decode(buf, len, 7, &key, &got), VGW_HELLO_OK, "byte %d", i);
		buf[i] ^= 0x01;
	}
	cr_assert_eq(hello_decode(buf, len, 7, &key, &got), VGW_HELLO_OK);
}

Test(hello, authentication_mismatches)
{
	struct vgw_hello h = sample(), got;
	uint8_t buf[VGW_HELLO_MAX];
	int len;

	len = hello_encode(&h, &key, buf, sizeof(buf));
	cr_expect_eq(hello_decode(buf, len, 7, &other_key, &got), VGW_HELLO_BAD_AUTH);
	cr_expect_eq(hello_decode(buf, len, 7, &no_key, &got), VGW_HELLO_UNEXPECTED_AUTH);
	cr_expect_eq(hello_decode(buf, len, 8, &key, &got), VGW_HELLO_WRONG_GROUP);
	len = hello_encode(&h, &no_key, buf, sizeof(buf));
	cr_expect_eq(hello_decode(buf, len, 7, &key, &got), VGW_HELLO_NO_AUTH);
}

/* A hand-built hello: header, then the TLVs given, length fixed up. */
static size_t build(uint8_t *buf, const uint8_t *tlvs, size_t tlen)
{
	struct vgw_hello h = sample();
	size_t len;

	h.has_ownership = false;
	h.n_rates = 0;
	cr_assert_eq(hello_encode(&h, &no_key, buf, VGW_HELLO_MAX), 39);
	memcpy(buf + 24, tlvs, tlen);
	len = 24 + tlen;
	buf[4] = len >> 8;
	buf[5] = len & 0xff;
	return len;
}

#define ROUTER_TLV 1, 0, 12, 100, 100, 1, 0, 0, 0, 3, 0xe8, 0, 0, 0x0b, 0xb8

struct malformed_case {
	const char *name;
	uint8_t tlvs[64];
	size_t tlen;
	enum vgw_hello_err want;
};

static const struct malformed_case malformed_cases[] = {
	{ "no TLV at all", { 0 }, 0, VGW_HELLO_MALFORMED },
	{ "ROUTER too short",
	  { 1, 0, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 },
	  14,
	  VGW_HELLO_MALFORMED },
	{ "ROUTER twice", { ROUTER_TLV, ROUTER_TLV }, 30, VGW_HELLO_MALFORMED },
	{ "unknown state",
	  { 1, 0, 12, 100, 100, 9, 0, 0, 0, 3, 0xe8, 0, 0, 0x0b, 0xb8 },
	  15,
	  VGW_HELLO_MALFORMED },
	{ "TLV longer than the message", { ROUTER_TLV, 9, 0, 40, 1, 2 }, 20, VGW_HELLO_TRUNCATED },
	{ "dangling TLV header byte", { ROUTER_TLV, 9 }, 16, VGW_HELLO_TRUNCATED },
	{ "unknown TLV is skipped", { 9, 0, 3, 1, 2, 3, ROUTER_TLV, 200, 0, 0 }, 24, VGW_HELLO_OK },
	{ "OWNERSHIP with 17 routers",
	  { ROUTER_TLV, 2, 0, 8, 0, 0, 0, 1, 17, 0, 0, 0 },
	  26,
	  VGW_HELLO_MALFORMED },
	{ "OWNERSHIP owner slot beyond the router list",
	  { ROUTER_TLV, 2, 0, 13, 0, 0, 0, 1, 1, 0, 0, 1, 10, 77, 0, 2, 1 },
	  31,
	  VGW_HELLO_MALFORMED },
	{ "OWNERSHIP length disagrees with its counts",
	  { ROUTER_TLV, 2, 0, 12, 0, 0, 0, 1, 1, 0, 0, 1, 10, 77, 0, 2 },
	  30,
	  VGW_HELLO_MALFORMED },
	{ "RATES entry for vMAC 0",
	  { ROUTER_TLV, 3, 0, 14, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 },
	  32,
	  VGW_HELLO_MALFORMED },
	{ "RATES of a ragged length",
	  { ROUTER_TLV, 3, 0, 5, 0, 1, 0, 0, 0 },
	  23,
	  VGW_HELLO_MALFORMED },
	{ "AUTH not last", { 255, 0, 32, [35] = ROUTER_TLV }, 50, VGW_HELLO_MALFORMED },
};

Test(hello, malformed_tlvs)
{
	size_t k;

	for (k = 0; k < sizeof(malformed_cases) / sizeof(malformed_cases[0]); k++) {
		const struct malformed_case *c = &malformed_cases[k];
		uint8_t buf[VGW_HELLO_MAX];
		struct vgw_hello got;
		size_t len = build(buf, c->tlvs, c->tlen);

		cr_expect_eq(hello_decode(buf, len, 7, &no_key, &got), c->want, "%s: got %s",
			     c->name, vgw_hello_strerror(hello_decode(buf, len, 7, &no_key, &got)));
	}
}

Test(hello, header_errors)
{
	struct vgw_hello h = sample(), got;
	uint8_t buf[VGW_HELLO_MAX + 10] = { 0 };
	int len = hello_encode(&h, &no_key, buf, VGW_HELLO_MAX);

	cr_expect_eq(hello_decode(buf, VGW_HELLO_MAX + 1, 7, &no_key, &got), VGW_HELLO_OVERSIZED);
	buf[1] = 0x48;
	cr_expect_eq(hello_decode(buf, len, 7, &no_key, &got), VGW_HELLO_BAD_MAGIC);
	buf[1] = 0x47, buf[2] = 2;
	cr_expect_eq(hello_decode(buf, len, 7, &no_key, &got), VGW_HELLO_BAD_VERSION);
	buf[2] = 1, buf[3] = 9;
	cr_expect_eq(hello_decode(buf, len, 7, &no_key, &got), VGW_HELLO_MALFORMED);
	buf[3] = 1;
	cr_expect_eq(hello_decode(buf, len + 4, 7, &no_key, &got), VGW_HELLO_MALFORMED,
		     "trailing bytes beyond the length field");
	cr_expect_eq(hello_decode(buf, len, 7, &no_key, &got), VGW_HELLO_OK);
}

/* The largest hello: 16 routers, 256 vMACs, signed, and as many rates as hello_rates_room says. */
Test(hello, a_full_table_of_16_routers_and_256_vmacs_with_rates_fits)
{
	static struct vgw_hello h, back;
	uint8_t buf[VGW_HELLO_MAX];
	unsigned int room, i;
	int len;

	h = sample();
	h.own.n_routers = 16;
	h.own.n_vmacs = 256;
	for (i = 0; i < 16; i++)
		h.own.routers[i] = htonl(0x0a4d0002 + i);
	for (i = 1; i <= 256; i++)
		h.own.owner[i] = i % 16;
	room = hello_rates_room(&h, true);
	cr_assert_eq(room, 70, "24 + 15 + 331 + 35 + 3 bytes leave 992 for 14-byte rates");
	h.n_rates = room;
	for (i = 0; i < room; i++)
		h.rates[i] = (struct vgw_hello_rate){ i + 1, 1000 + i, 0xffffffffffULL + i };
	len = hello_encode(&h, &key, buf, sizeof(buf));
	cr_assert_leq(len, VGW_HELLO_MAX);
	cr_assert_geq(len, VGW_HELLO_MAX - 13, "the room is used");
	cr_assert_eq(hello_decode(buf, len, 7, &key, &back), VGW_HELLO_OK);
	expect_same(&h, &back);
	h.n_rates = room + 1;
	cr_assert_eq(hello_encode(&h, &key, buf, sizeof(buf)), -EMSGSIZE, "one more does not fit");
	h.has_ownership = false;
	cr_assert_eq(hello_rates_room(&h, false), 97, "a forwarder's hello, unsigned");
}

Test(hello, params_travel_and_come_once)
{
	struct vgw_hello h = sample(), back;
	uint8_t buf[VGW_HELLO_MAX];
	int len;

	h.has_params = true;
	h.vip = htonl(0x0a4d0001);
	h.n_vmacs = 200;
	len = hello_encode(&h, &key, buf, sizeof(buf));
	cr_assert_gt(len, 0);
	cr_assert_eq(hello_decode(buf, len, 7, &key, &back), VGW_HELLO_OK);
	cr_assert(back.has_params);
	cr_assert_eq(back.vip, htonl(0x0a4d0001));
	cr_assert_eq(back.n_vmacs, 200);
	h.has_params = false;
	len = hello_encode(&h, &no_key, buf, sizeof(buf));
	cr_assert_eq(hello_decode(buf, len, 7, &no_key, &back), VGW_HELLO_OK);
	cr_assert(!back.has_params, "a hello without PARAMS has none");
}

/* TLV 5: the IPv6 virtual addresses, 32 bytes, once; absent: all zero. */
Test(hello, params6_travel_and_come_once)
{
	static const uint8_t ll[16] = { 0xfe, 0x80, [15] = 1 }, gl[16] = { 0x20, 0x01, [15] = 1 };
	struct vgw_hello h = sample(), back;
	uint8_t buf[VGW_HELLO_MAX], dup[VGW_HELLO_MAX + 40];
	int len, len4;

	h.has_params = true;
	h.vip = htonl(0x0a4d0001);
	h.n_vmacs = 16;
	len4 = hello_encode(&h, &no_key, buf, sizeof(buf));
	cr_assert_gt(len4, 0);
	cr_assert_eq(hello_decode(buf, len4, 7, &no_key, &back), VGW_HELLO_OK);
	cr_assert(!back.has_params6);
	cr_assert_arr_eq(back.vip6, (uint8_t[16]){ 0 }, 16);
	h.has_params6 = true;
	memcpy(h.vip6, ll, 16);
	memcpy(h.vip6_global, gl, 16);
	len = hello_encode(&h, &key, buf, sizeof(buf));
	cr_assert_eq(len, len4 + 3 + 32 + 3 + 32, "3-byte TLV header, 32 bytes, beside AUTH");
	cr_assert_eq(hello_decode(buf, len, 7, &key, &back), VGW_HELLO_OK);
	cr_assert(back.has_params6);
	cr_assert_arr_eq(back.vip6, ll, 16);
	cr_assert_arr_eq(back.vip6_global, gl, 16);
	/* twice in one message: malformed */
	h.has_ownership = false;
	h.n_rates = 0;
	len = hello_encode(&h, &no_key, buf, sizeof(buf));
	memcpy(dup, buf, len);
	memcpy(dup + len, buf + len - 35, 35); /* PARAMS6 is the last TLV unsigned */
	dup[4] = (uint8_t)((len + 35) >> 8), dup[5] = (uint8_t)(len + 35);
	cr_assert_eq(hello_decode(dup, len + 35, 7, &no_key, &back), VGW_HELLO_MALFORMED);
}

/* TLV 6: the sender's own MAC, 6 bytes and 2 reserved, once; absent: has_mac false. */
Test(hello, the_mac_travels_and_comes_once)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01 };
	struct vgw_hello h = sample(), back;
	uint8_t buf[VGW_HELLO_MAX], dup[VGW_HELLO_MAX + 20];
	int len, len0;

	h.has_ownership = false;
	h.n_rates = 0;
	len0 = hello_encode(&h, &no_key, buf, sizeof(buf));
	cr_assert_eq(hello_decode(buf, len0, 7, &no_key, &back), VGW_HELLO_OK);
	cr_assert(!back.has_mac);
	h.has_mac = true;
	memcpy(h.mac, mac, 6);
	len = hello_encode(&h, &no_key, buf, sizeof(buf));
	cr_assert_eq(len, len0 + 3 + 8);
	/* type 6, length 8, the MAC, reserved 0 */
	cr_assert_arr_eq(buf + len0,
			 ((uint8_t[]){ 6, 0, 8, 0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01, 0, 0 }), 11);
	cr_assert_eq(hello_decode(buf, len, 7, &no_key, &back), VGW_HELLO_OK);
	cr_assert(back.has_mac);
	cr_assert_arr_eq(back.mac, mac, 6);
	memcpy(dup, buf, len);
	memcpy(dup + len, buf + len - 11, 11);
	dup[4] = (uint8_t)((len + 11) >> 8), dup[5] = (uint8_t)(len + 11);
	cr_assert_eq(hello_decode(dup, len + 11, 7, &no_key, &back), VGW_HELLO_MALFORMED, "twice");
	buf[len - 9] = 7; /* length 7, the message a byte shorter */
	buf[4] = (uint8_t)((len - 1) >> 8), buf[5] = (uint8_t)(len - 1);
	cr_assert_eq(hello_decode(buf, len - 1, 7, &no_key, &back), VGW_HELLO_MALFORMED, "short");
}
