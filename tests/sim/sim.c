// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw-sim: the balancer at scales the test LAN cannot reach. Synthetic hosts
 * with heavy-tailed (Pareto) rates come and go; each start is an ARP that
 * the AVG answers by the method under test. Every poll the group measures
 * and, where the method re-assigns, balances with the real balance_plan();
 * least-loaded answers run vgw_steer.h, the tc program's own choice.
 *
 *   vgw-sim [-o OUTDIR] [HOSTS [ROUTERS [VMACS [HOURS [SEED]]]]]
 *
 * Half the hosts start in the first poll (steady state at once, and a boot
 * storm for the ARP methods). Prints a table per method: the worst router's
 * deviation from its target over time (p50, p99, max, percentage points), vMAC moves per hour and
 * hosts re-pointed (an ARP answered with another vMAC than the host had). With OUTDIR, writes the
 * series and, if gnuplot is there, OUTDIR/sim.png.
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "balance.h"
#include "group.h"

#define POLL_S	     10
#define HOLD_POLLS   3 /* off target this long before re-assignment */
#define COOLDOWN_S   300
#define THRESHOLD_PP 5.0
#define MEAN_ON_S    1200.0 /* a host is active 20 min on average... */
#define MEAN_OFF_S   1200.0 /* ...and away as long */

enum method { M_ROUND_ROBIN, M_HOST_HASH, M_LEAST_LOADED, M_REASSIGN, M_BOTH, M_COUNT };
static const char *const method_name[M_COUNT] = {
	"GLBP round-robin",   "host-dependent (CARP-like)",   "least-loaded only",
	"re-assignment only", "least-loaded + re-assignment",
};

struct host {
	double rate;
	int vmac; /* 1..V while active, 0 when away */
	int last_vmac;
	double next_event;
};

static uint64_t rng_state;

static double uniform(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return ((rng_state >> 11) + 0.5) / 9007199254740992.0;
}

static double expo(double mean)
{
	return -mean * log(uniform());
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct result {
	double p50, p99, max, moves_per_hour, repointed;
};

static struct result run(enum method m, int n_hosts, int n_routers, int n_vmacs, double hours,
			 uint64_t seed, FILE *series)
{
	struct host *h = calloc(n_hosts, sizeof(*h));
	uint32_t ids[VGW_MAX_ROUTERS], owner[VGW_MAX_VMACS + 1] = { 0 };
	uint8_t weights[VGW_MAX_ROUTERS];
	double load[VGW_MAX_VMACS + 1] = { 0 }, cooldown[VGW_MAX_VMACS + 1] = { 0 };
	uint64_t answered[VGW_MAX_VMACS + 1] = { 0 };
	int polls = (int)(hours * 3600 / POLL_S), p, i, rr = 0, off_polls = 0;
	double *worst = calloc(polls, sizeof(double)), total = 0, mean_host = 1, moves = 0;
	long repointed = 0, arps = 0;
	struct result res;

	rng_state = seed;
	for (i = 0; i < n_routers; i++) {
		ids[i] = htonl(0x0a000001 + i);
		weights[i] = 1;
	}
	assign_vmacs(ids, weights, n_routers, n_vmacs, owner, NULL, NULL);
	for (i = 0; i < n_hosts; i++) {
		h[i].rate =
			pow(uniform(), -1.0 / 1.2); /* Pareto, alpha 1.2: a few hosts dominate */
		if (h[i].rate > 1e4)
			h[i].rate = 1e4;
		/* steady state from the start: half the hosts arrive in the first poll (a boot
		 * storm, which also tests the herd protection), the rest over the off time */
		h[i].next_event = uniform() < 0.5 ? uniform() * POLL_S : expo(MEAN_OFF_S);
	}
	for (p = 0; p < polls; p++) {
		double now = (double)(p + 1) * POLL_S;
		struct balance_input in = { 0 };

		in.n_routers = n_routers;
		for (i = 0; i < n_routers; i++)
			in.routers[i] = (struct balance_router){ ids[i], 1 };
		in.n_vmacs = n_vmacs;
		for (i = 1; i <= n_vmacs; i++)
			in.vmacs[i - 1] = (struct balance_vmac){ i, owner[i], (uint64_t)load[i],
								 now < cooldown[i], 0 };
		in.max_moves = 3;
		in.tolerance_pp = 1.0;
		memset(answered, 0, sizeof(answered));

		/* hosts come and go; a host that comes ARPs */
		for (i = 0; i < n_hosts; i++) {
			struct host *x = &h[i];
			int v = 0;

			while (x->next_event <= now) {
				if (x->vmac) {
					load[x->vmac] -= x->rate;
					total -= x->rate;
					x->last_vmac = x->vmac;
					x->vmac = 0;
					x->next_event += expo(MEAN_OFF_S);
					continue;
				}
				if (m == M_ROUND_ROBIN || m == M_REASSIGN) {
					v = rr % n_vmacs + 1;
					rr++;
				} else if (m == M_HOST_HASH) {
					uint64_t best = 0;
					int k;

					for (k = 1; k <= n_vmacs; k++) {
						uint64_t s = vgw_mix64(
							(uint64_t)i * 0x9e3779b97f4a7c15ULL ^ k);

						if (!v || s > best) {
							v = k;
							best = s;
						}
					}
				} else {
					uint64_t extra[VGW_MAX_VMACS] = { 0 };
					int k;

					/* provisional load: hosts answered since the measurement */
					for (k = 1; k <= n_vmacs; k++)
						extra[k - 1] = (uint64_t)(answered[k] * mean_host);
					v = in.vmacs[balance_least_loaded(&in, extra)].index;
				}
				answered[v]++;
				arps++;
				if (x->last_vmac && x->last_vmac != v)
					repointed++;
				x->vmac = v;
				load[v] += x->rate;
				total += x->rate;
				x->next_event += expo(MEAN_ON_S);
			}
		}
		/* measure */
		for (i = 1; i <= n_vmacs; i++)
			in.vmacs[i - 1].load = (uint64_t)(load[i] > 0 ? load[i] : 0);
		{
			double share[VGW_MAX_ROUTERS], target[VGW_MAX_ROUTERS], w = 0;
			int active = 0;

			balance_shares(&in, share, target);
			for (i = 0; i < n_routers; i++)
				w = fmax(w, fabs(share[i] - target[i]));
			worst[p] = w;
			for (i = 0; i < n_hosts; i++)
				active += h[i].vmac != 0;
			mean_host = active ? total / active : 1;
			if (series)
				fprintf(series, "%g %g\n", now / 60.0, w);
			/* re-assignment after the hold, as the daemon does */
			if (m == M_REASSIGN || m == M_BOTH) {
				off_polls = w > THRESHOLD_PP ? off_polls + 1 : 0;
				if (off_polls >= HOLD_POLLS) {
					struct balance_plan plan;
					unsigned int k;

					balance_plan(&in, &plan);
					for (k = 0; k < plan.n_moves; k++) {
						owner[plan.moves[k].index] = plan.moves[k].to;
						cooldown[plan.moves[k].index] = now + COOLDOWN_S;
					}
					moves += plan.n_moves;
					off_polls = 0;
				}
			}
		}
	}
	qsort(worst, polls, sizeof(double), cmp_double);
	res.p50 = worst[polls / 2];
	res.p99 = worst[(int)(polls * 0.99)];
	res.max = worst[polls - 1];
	res.moves_per_hour = moves / hours;
	res.repointed = arps ? 100.0 * repointed / arps : 0;
	free(worst);
	free(h);
	return res;
}

int main(int argc, char **argv)
{
	const char *outdir = NULL;
	char path[512];
	int m;

	/* -o OUTDIR first, so that the positional arguments may be left out */
	if (argc > 2 && !strcmp(argv[1], "-o")) {
		outdir = argv[2];
		argv += 2;
		argc -= 2;
	}
	int hosts = argc > 1 ? atoi(argv[1]) : 10000, routers = argc > 2 ? atoi(argv[2]) : 4;
	int vmacs = argc > 3 ? atoi(argv[3]) : 16;
	double hours = argc > 4 ? atof(argv[4]) : 4;
	uint64_t seed = argc > 5 ? strtoull(argv[5], NULL, 0) : 7667;

	if (!outdir && argc > 6)
		outdir = argv[6];

	if (hosts < 1 || routers < 2 || routers > VGW_MAX_ROUTERS || vmacs < routers ||
	    vmacs > VGW_MAX_VMACS || hours <= 0) {
		fprintf(stderr,
			"vgw-sim: error: usage: vgw-sim [-o OUTDIR] [HOSTS [ROUTERS(2-16) [VMACS "
			"[HOURS [SEED]]]]]\n");
		return 2;
	}
	printf("vgw-sim: %d hosts (Pareto 1.2 rates, on/off 20 min), %d routers, %d vMACs, %.1f h, "
	       "poll %d s, seed %llu\n",
	       hosts, routers, vmacs, hours, POLL_S, (unsigned long long)seed);
	printf("%-30s %9s %9s %9s %11s %11s\n", "method", "p50 pp", "p99 pp", "max pp", "moves/h",
	       "repointed");
	for (m = 0; m < M_COUNT; m++) {
		FILE *series = NULL;
		struct result r;

		if (outdir) {
			snprintf(path, sizeof(path), "%s/sim-%d.dat", outdir, m);
			series = fopen(path, "w");
		}
		r = run(m, hosts, routers, vmacs, hours, seed, series);
		if (series)
			fclose(series);
		printf("%-30s %9.2f %9.2f %9.2f %11.1f %10.1f%%\n", method_name[m], r.p50, r.p99,
		       r.max, r.moves_per_hour, r.repointed);
	}
	if (outdir) {
		FILE *gp;

		snprintf(path, sizeof(path), "%s/sim.gp", outdir);
		gp = fopen(path, "w");
		if (!gp)
			return 1;
		fprintf(gp,
			"set terminal png size 1100,600\nset output '%s/sim.png'\n"
			"set xlabel 'minutes'\nset ylabel 'worst router off target (pp)'\n"
			"set title 'vgw-sim: %d hosts, %d routers, %d vMACs'\nset key top right\n"
			"plot ",
			outdir, hosts, routers, vmacs);
		for (m = 0; m < M_COUNT; m++)
			fprintf(gp, "'%s/sim-%d.dat' with lines title '%s'%s", outdir, m,
				method_name[m], m + 1 < M_COUNT ? ", " : "\n");
		fclose(gp);
	}
	return 0;
}
