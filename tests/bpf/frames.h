/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Test frames described field by field, built into wire bytes. */
#ifndef VGW_TEST_FRAMES_H
#define VGW_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>

enum frame_kind {
	FRAME_IPV4_UDP = 0, /* a small UDP datagram from a host to the upstream server */
	FRAME_ARP,
};

struct frame_spec {
	enum frame_kind kind;
	uint8_t dst[6];
	uint8_t src[6];
	/* ARP body, when kind == FRAME_ARP */
	uint16_t arp_op;
	uint8_t sha[6];
	uint8_t spa[4];
	uint8_t tha[6];
	uint8_t tpa[4];
	size_t truncate; /* cut the frame to this many bytes when nonzero */
};

/* Table shorthands: a frame by its fields, optionally cut to `cut` bytes. */
#define IPV4_FRAME(d, s, cut)                                                                      \
	{                                                                                          \
		.kind = FRAME_IPV4_UDP, .dst = d, .src = s, .truncate = (cut)                      \
	}
#define ARP_FRAME(d, s, op, sha_, spa_, tha_, tpa_, cut)                                           \
	{                                                                                          \
		.kind = FRAME_ARP, .dst = d, .src = s, .arp_op = (op), .sha = sha_, .spa = spa_,   \
		.tha = tha_, .tpa = tpa_, .truncate = (cut)                                        \
	}
#define MAC(a, b, c, d, e, f)                                                                      \
	{                                                                                          \
		a, b, c, d, e, f                                                                   \
	}
#define IP4(a, b, c, d)                                                                            \
	{                                                                                          \
		a, b, c, d                                                                         \
	}

#define FRAME_MAX     128
#define FRAME_SCRATCH 256

/* Returns the frame's length. */
size_t frame_build(const struct frame_spec *f, uint8_t *buf);

#endif
