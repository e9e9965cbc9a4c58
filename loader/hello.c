// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "hello.h"

#define MAGIC0	   0x76 /* 'v' */
#define MAGIC1	   0x47 /* 'G' */
#define TYPE_HELLO 1

enum tlv_type {
	TLV_ROUTER = 1,
	TLV_OWNERSHIP = 2,
	TLV_RATES = 3,
	TLV_PARAMS = 4,
	TLV_PARAMS6 = 5,
	TLV_MAC = 6,
	TLV_AUTH = 255,
};

#define TLV_HDR	    3
#define ROUTER_LEN  12
#define RATE_LEN    14
#define PARAMS_LEN  8
#define PARAMS6_LEN 32
#define MAC_LEN	    8

/* A bounded cursor over a byte buffer: writes past the end only set overflow. */
struct wbuf {
	uint8_t *p;
	size_t len, cap;
	bool overflow;
};

static void put_bytes(struct wbuf *w, const void *src, size_t n)
{
	if (w->overflow || w->cap - w->len < n) {
		w->overflow = true;
		return;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void put_u8(struct wbuf *w, uint8_t v)
{
	put_bytes(w, &v, 1);
}

static void put_u16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	put_bytes(w, b, 2);
}

static void put_u32(struct wbuf *w, uint32_t v)
{
	put_u16(w, v >> 16);
	put_u16(w, v & 0xffff);
}

static void put_u64(struct wbuf *w, uint64_t v)
{
	put_u32(w, v >> 32);
	put_u32(w, v & 0xffffffff);
}

static uint16_t get_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)get_u16(p) << 16 | get_u16(p + 2);
}

static uint64_t get_u64(const uint8_t *p)
{
	return (uint64_t)get_u32(p) << 32 | get_u32(p + 4);
}

static void put_tlv_hdr(struct wbuf *w, uint8_t type, uint16_t len)
{
	put_u8(w, type);
	put_u16(w, len);
}

static void hmac(const struct vgw_key *key, const uint8_t *msg, size_t len,
		 uint8_t out[VGW_HMAC_LEN])
{
	unsigned int out_len = VGW_HMAC_LEN;

	HMAC(EVP_sha256(), key->bytes, (int)key->len, msg, len, out, &out_len);
}

unsigned int hello_rates_room(const struct vgw_hello *h, bool is_signed)
{
	size_t used = VGW_HELLO_HDR_LEN + TLV_HDR + ROUTER_LEN + TLV_HDR;

	if (h->has_params)
		used += TLV_HDR + PARAMS_LEN;
	if (h->has_params6)
		used += TLV_HDR + PARAMS6_LEN;
	if (h->has_mac)
		used += TLV_HDR + MAC_LEN;

	if (h->has_ownership)
		used += TLV_HDR + 8 + 4 * h->own.n_routers + h->own.n_vmacs;
	if (is_signed)
		used += TLV_HDR + VGW_HMAC_LEN;
	return used >= VGW_HELLO_MAX ? 0 : (VGW_HELLO_MAX - used) / RATE_LEN;
}

int hello_encode(const struct vgw_hello *h, const struct vgw_key *key, uint8_t *buf, size_t cap)
{
	struct wbuf w = { .p = buf, .cap = cap < VGW_HELLO_MAX ? cap : VGW_HELLO_MAX };
	uint16_t i;

	put_u8(&w, MAGIC0);
	put_u8(&w, MAGIC1);
	put_u8(&w, VGW_HELLO_VERSION);
	put_u8(&w, TYPE_HELLO);
	put_u16(&w, 0); /* length, filled in below */
	put_u16(&w, h->group);
	put_bytes(&w, &h->router_id, 4);
	put_u64(&w, h->seq);
	put_u32(&w, 0); /* reserved */

	put_tlv_hdr(&w, TLV_ROUTER, ROUTER_LEN);
	put_u8(&w, h->priority);
	put_u8(&w, h->weight);
	put_u8(&w, h->state);
	put_u8(&w, 0);
	put_u32(&w, h->hello_ms);
	put_u32(&w, h->hold_ms);

	if (h->has_params) {
		put_tlv_hdr(&w, TLV_PARAMS, PARAMS_LEN);
		put_bytes(&w, &h->vip, 4);
		put_u16(&w, h->n_vmacs);
		put_u16(&w, 0);
	}
	if (h->has_params6) {
		put_tlv_hdr(&w, TLV_PARAMS6, PARAMS6_LEN);
		put_bytes(&w, h->vip6, 16);
		put_bytes(&w, h->vip6_global, 16);
	}
	if (h->has_mac) {
		put_tlv_hdr(&w, TLV_MAC, MAC_LEN);
		put_bytes(&w, h->mac, 6);
		put_u16(&w, 0);
	}
	if (h->has_ownership) {
		const struct vgw_hello_ownership *o = &h->own;

		if (o->n_routers > VGW_MAX_ROUTERS || o->n_vmacs > VGW_MAX_VMACS)
			return -EMSGSIZE;
		put_tlv_hdr(&w, TLV_OWNERSHIP, 8 + 4 * o->n_routers + o->n_vmacs);
		put_u32(&w, o->epoch);
		put_u8(&w, o->n_routers);
		put_u8(&w, 0);
		put_u16(&w, o->n_vmacs);
		for (i = 0; i < o->n_routers; i++)
			put_bytes(&w, &o->routers[i], 4);
		for (i = 1; i <= o->n_vmacs; i++)
			put_u8(&w, o->owner[i]);
	}
	if (h->n_rates) {
		if (h->n_rates > VGW_MAX_VMACS)
			return -EMSGSIZE;
		put_tlv_hdr(&w, TLV_RATES, h->n_rates * RATE_LEN);
		for (i = 0; i < h->n_rates; i++) {
			put_u16(&w, h->rates[i].index);
			put_u32(&w, h->rates[i].pps);
			put_u64(&w, h->rates[i].bps);
		}
	}
	if (key->len) {
		put_tlv_hdr(&w, TLV_AUTH, VGW_HMAC_LEN);
		put_bytes(&w, (uint8_t[VGW_HMAC_LEN]){ 0 }, VGW_HMAC_LEN);
	}
	if (w.overflow)
		return -EMSGSIZE;
	buf[4] = w.len >> 8;
	buf[5] = w.len & 0xff;
	/* the HMAC covers the whole message, its own field zeroed */
	if (key->len)
		hmac(key, buf, w.len, buf + w.len - VGW_HMAC_LEN);
	return (int)w.len;
}

static bool decode_router(const uint8_t *v, uint16_t len, struct vgw_hello *h)
{
	if (len != ROUTER_LEN)
		return false;
	h->priority = v[0];
	h->weight = v[1];
	h->state = v[2];
	h->hello_ms = get_u32(v + 4);
	h->hold_ms = get_u32(v + 8);
	return h->state <= VGW_STATE_LEAVING;
}

static bool decode_ownership(const uint8_t *v, uint16_t len, struct vgw_hello_ownership *o)
{
	uint16_t i;

	if (len < 8)
		return false;
	o->epoch = get_u32(v);
	o->n_routers = v[4];
	o->n_vmacs = get_u16(v + 6);
	if (o->n_routers > VGW_MAX_ROUTERS || o->n_vmacs > VGW_MAX_VMACS ||
	    len != 8 + 4 * o->n_routers + o->n_vmacs)
		return false;
	for (i = 0; i < o->n_routers; i++)
		memcpy(&o->routers[i], v + 8 + 4 * i, 4);
	memset(o->owner, VGW_OWNER_NONE, sizeof(o->owner));
	for (i = 1; i <= o->n_vmacs; i++) {
		o->owner[i] = v[8 + 4 * o->n_routers + i - 1];
		if (o->owner[i] != VGW_OWNER_NONE && o->owner[i] >= o->n_routers)
			return false;
	}
	return true;
}

static bool decode_rates(const uint8_t *v, uint16_t len, struct vgw_hello *h)
{
	uint16_t i;

	if (len % RATE_LEN || len / RATE_LEN > VGW_MAX_VMACS)
		return false;
	h->n_rates = len / RATE_LEN;
	for (i = 0; i < h->n_rates; i++) {
		const uint8_t *r = v + i * RATE_LEN;

		h->rates[i].index = get_u16(r);
		h->rates[i].pps = get_u32(r + 2);
		h->rates[i].bps = get_u64(r + 6);
		if (h->rates[i].index == 0 || h->rates[i].index > VGW_MAX_VMACS)
			return false;
	}
	return true;
}

static enum vgw_hello_err check_auth(const uint8_t *buf, size_t len, const uint8_t *auth,
				     const struct vgw_key *key)
{
	uint8_t copy[VGW_HELLO_MAX], want[VGW_HMAC_LEN];
	size_t at = (size_t)(auth - buf);

	if (!key->len)
		return auth ? VGW_HELLO_UNEXPECTED_AUTH : VGW_HELLO_OK;
	if (!auth)
		return VGW_HELLO_NO_AUTH;
	memcpy(copy, buf, len);
	memset(copy + at, 0, VGW_HMAC_LEN);
	hmac(key, copy, len, want);
	return CRYPTO_memcmp(want, auth, VGW_HMAC_LEN) ? VGW_HELLO_BAD_AUTH : VGW_HELLO_OK;
}

enum vgw_hello_err hello_decode(const uint8_t *buf, size_t len, uint16_t group,
				const struct vgw_key *key, struct vgw_hello *out)
{
	struct vgw_hello h = { 0 };
	const uint8_t *auth = NULL;
	enum vgw_hello_err err;
	bool have_router = false;
	size_t off;

	if (len > VGW_HELLO_MAX)
		return VGW_HELLO_OVERSIZED;
	if (len < VGW_HELLO_HDR_LEN)
		return VGW_HELLO_TRUNCATED;
	if (buf[0] != MAGIC0 || buf[1] != MAGIC1)
		return VGW_HELLO_BAD_MAGIC;
	if (buf[2] != VGW_HELLO_VERSION)
		return VGW_HELLO_BAD_VERSION;
	if (buf[3] != TYPE_HELLO)
		return VGW_HELLO_MALFORMED;
	if (get_u16(buf + 4) != len)
		return get_u16(buf + 4) > len ? VGW_HELLO_TRUNCATED : VGW_HELLO_MALFORMED;
	/* authenticate before believing any field */
	for (off = VGW_HELLO_HDR_LEN; off + TLV_HDR <= len;) {
		uint16_t tlen = get_u16(buf + off + 1);

		if (tlen > len - off - TLV_HDR)
			return VGW_HELLO_TRUNCATED;
		if (buf[off] == TLV_AUTH) {
			/* last, once, full length: anything else could hide unsigned bytes */
			if (tlen != VGW_HMAC_LEN || off + TLV_HDR + tlen != len)
				return VGW_HELLO_MALFORMED;
			auth = buf + off + TLV_HDR;
		}
		off += TLV_HDR + tlen;
	}
	if (off != len)
		return VGW_HELLO_TRUNCATED;
	err = check_auth(buf, len, auth, key);
	if (err)
		return err;
	h.group = get_u16(buf + 6);
	if (h.group != group)
		return VGW_HELLO_WRONG_GROUP;
	memcpy(&h.router_id, buf + 8, 4);
	h.seq = get_u64(buf + 12);

	for (off = VGW_HELLO_HDR_LEN; off < len;) {
		uint8_t type = buf[off];
		uint16_t tlen = get_u16(buf + off + 1);
		const uint8_t *v = buf + off + TLV_HDR;
		bool ok = true;

		switch (type) {
		case TLV_ROUTER:
			ok = !have_router && decode_router(v, tlen, &h);
			have_router = true;
			break;
		case TLV_OWNERSHIP:
			ok = !h.has_ownership && decode_ownership(v, tlen, &h.own);
			h.has_ownership = true;
			break;
		case TLV_RATES:
			ok = !h.n_rates && decode_rates(v, tlen, &h);
			break;
		case TLV_PARAMS:
			ok = !h.has_params && tlen == PARAMS_LEN;
			if (ok) {
				memcpy(&h.vip, v, 4);
				h.n_vmacs = get_u16(v + 4);
			}
			h.has_params = true;
			break;
		case TLV_PARAMS6:
			ok = !h.has_params6 && tlen == PARAMS6_LEN;
			if (ok) {
				memcpy(h.vip6, v, 16);
				memcpy(h.vip6_global, v + 16, 16);
			}
			h.has_params6 = true;
			break;
		case TLV_MAC:
			ok = !h.has_mac && tlen == MAC_LEN;
			if (ok)
				memcpy(h.mac, v, 6);
			h.has_mac = true;
			break;
		default: /* unknown and AUTH: skipped */
			break;
		}
		if (!ok)
			return VGW_HELLO_MALFORMED;
		off += TLV_HDR + tlen;
	}
	if (!have_router)
		return VGW_HELLO_MALFORMED;
	*out = h;
	return VGW_HELLO_OK;
}

const char *vgw_hello_strerror(enum vgw_hello_err err)
{
	static const char *const names[VGW_HELLO_ERR_COUNT] = {
		[VGW_HELLO_OK] = "ok",
		[VGW_HELLO_TRUNCATED] = "truncated",
		[VGW_HELLO_OVERSIZED] = "oversized",
		[VGW_HELLO_BAD_MAGIC] = "bad magic",
		[VGW_HELLO_BAD_VERSION] = "unknown version",
		[VGW_HELLO_MALFORMED] = "malformed",
		[VGW_HELLO_WRONG_GROUP] = "another group",
		[VGW_HELLO_NO_AUTH] = "unauthenticated",
		[VGW_HELLO_BAD_AUTH] = "wrong key",
		[VGW_HELLO_UNEXPECTED_AUTH] = "signed, no key set",
	};

	return err < VGW_HELLO_ERR_COUNT ? names[err] : "unknown";
}
