// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target: any bytes into the hello decoder, with and without a
 * key. A hello it accepts must encode back to bytes that decode to the same
 * hello (nothing it accepts is lost or invented on the way).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hello.h"

static const struct vgw_key key = { 8, "fuzz-key" }, none = { 0 };

static void roundtrip(const struct vgw_hello *h, const struct vgw_key *k)
{
	static struct vgw_hello back;
	uint8_t buf[VGW_HELLO_MAX];
	int len = hello_encode(h, k, buf, sizeof(buf));

	if (len < 0)
		abort(); /* it decoded, so it fits */
	if (hello_decode(buf, len, h->group, k, &back) != VGW_HELLO_OK)
		abort();
	if (back.router_id != h->router_id || back.seq != h->seq || back.state != h->state ||
	    back.n_rates != h->n_rates || back.has_ownership != h->has_ownership ||
	    back.has_params != h->has_params || back.vip != h->vip ||
	    (h->has_ownership && memcmp(&back.own, &h->own, sizeof(h->own))) ||
	    memcmp(back.rates, h->rates, h->n_rates * sizeof(h->rates[0])))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vgw_hello h;
	uint16_t group = size >= 8 ? (uint16_t)(data[6] << 8 | data[7]) : 1;

	if (hello_decode(data, size, group, &none, &h) == VGW_HELLO_OK)
		roundtrip(&h, &none);
	if (hello_decode(data, size, group, &key, &h) == VGW_HELLO_OK)
		roundtrip(&h, &key);
	return 0;
}
