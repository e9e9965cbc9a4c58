// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * make bench, scale: the AVG's work per balance round (balance_plan) and per
 * new host (balance_least_loaded) for a group of 16 routers and 256 vMACs,
 * the largest there is, with loads drawn at random and one router holding
 * twice its share, so that a round has moves to find.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "balance.h"

#define ROUNDS 200 /* at most, and for at most about 2 s a case */

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void group(struct balance_input *in, unsigned int seed)
{
	unsigned int r, v;

	memset(in, 0, sizeof(*in));
	srand(seed);
	in->n_routers = VGW_MAX_ROUTERS;
	for (r = 0; r < in->n_routers; r++) {
		in->routers[r].id = 0x0a4d0002 + r;
		in->routers[r].weight = 100;
	}
	in->n_vmacs = VGW_MAX_VMACS;
	for (v = 0; v < in->n_vmacs; v++) {
		in->vmacs[v].index = (uint16_t)(v + 1);
		/* router 0 holds 32 vMACs, the others 14 or 15 */
		in->vmacs[v].owner = in->routers[v < 32 ? 0 : 1 + (v - 32) % 15].id;
		in->vmacs[v].load = 1000 + (uint64_t)(rand() % 100000);
	}
	in->target = BALANCE_EQUAL;
	in->tolerance_pp = 0.5;
}

int main(void)
{
	static const unsigned int moves[] = { 1, 3, 8 };
	struct balance_input in;
	struct balance_plan plan;
	volatile int sink = 0;
	double t0, t1;
	unsigned int m, k;

	printf("balance at 16 routers x 256 vMACs (the AVG's own work, in its loop):\n");
	for (m = 0; m < sizeof(moves) / sizeof(moves[0]); m++) {
		double worst_before = 0, worst_after = 0;

		group(&in, 1);
		in.max_moves = moves[m];
		t0 = t1 = now_us();
		for (k = 0; k < ROUNDS && t1 - t0 < 2e6; k++) {
			balance_plan(&in, &plan);
			worst_before = plan.worst_before;
			worst_after = plan.worst_after;
			t1 = now_us();
		}
		printf("  a balance round, --max-moves %u: %8.1f us (%u moves, worst deviation "
		       "%.1f -> %.1f points; %u rounds)\n",
		       moves[m], (t1 - t0) / k, plan.n_moves, worst_before, worst_after, k);
	}
	group(&in, 1);
	t0 = now_us();
	for (k = 0; k < ROUNDS * 100; k++)
		sink += balance_least_loaded(&in, NULL);
	t1 = now_us();
	printf("  a new host's vMAC (Figure 5 in C, as make sim runs it): %.2f us\n",
	       (t1 - t0) / (ROUNDS * 100));
	return sink == 12345678;
}
