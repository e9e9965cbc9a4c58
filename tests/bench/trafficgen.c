// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The forwarding bench's traffic generator and its helpers (tests/bench/fwd.sh):
 *
 *   vgw-trafficgen sink NETNS DEV PIN     attach the counting sink to DEV, pin its counter
 *   vgw-trafficgen fwd NETNS DEV OUT      attach the bare XDP forwarder to DEV, egress OUT
 *   vgw-trafficgen gen NETNS DEV DST-MAC CPUS SECONDS PIN
 *       send 60-byte UDP frames (10.77.0.11 -> 10.78.0.100:9) to DST-MAC out of DEV
 *       from CPUS cores, and print what the sink counted per second over SECONDS,
 *       after a warm-up, and the generator that sent them: "live" (XDP live frames,
 *       BPF_F_TEST_XDP_LIVE_FRAMES) where the kernel allows them, else "trafgen"
 *       (netsniff-ng's, PACKET_MMAP; some kernels refuse live frames with EPERM)
 *
 * xdp-trafficgen (xdp-tools 1.3.1) does the same but does not load on this kernel.
 * Programs stay attached when the tool exits; `ip link set DEV xdp off` removes them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fwd.skel.h"

#define WARMUP_NS 300000000ULL
#define FRAME_LEN 60
#define BATCH	  64
#define REPEAT	  (1 << 16) /* fewer calls: each sets up a page pool */

static int die(const char *what)
{
	fprintf(stderr, "vgw-trafficgen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void enter_netns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		die(path);
	close(fd);
}

static int ifindex_of(const char *dev)
{
	int i = (int)if_nametoindex(dev);

	if (!i)
		die(dev);
	return i;
}

/* The object; with a frame, the generator's, a flow per CPU (source ports 4000 + CPU). */
static struct fwd *open_load(const uint8_t *gen_frame)
{
	struct fwd *s = fwd__open();
	int cpu;

	for (cpu = 0; s && gen_frame && cpu < 64; cpu++) {
		memcpy(s->bss->gen_frame[cpu], gen_frame, FRAME_LEN);
		s->bss->gen_frame[cpu][35] = (uint8_t)(cpu & 0xff);
	}
	if (!s || fwd__load(s))
		die("load tests/bench/fwd.bpf.c");
	return s;
}

static void attach(struct bpf_program *p, int ifindex)
{
	if (bpf_xdp_attach(ifindex, bpf_program__fd(p), XDP_FLAGS_DRV_MODE, NULL))
		die("attach the XDP program");
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static uint64_t count(int fd)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	uint64_t v[256] = { 0 }, sum = 0;
	__u32 zero = 0;

	if (ncpu > 256 || bpf_map_lookup_elem(fd, &zero, v))
		die("read the sink's counter");
	for (i = 0; i < ncpu; i++)
		sum += v[i];
	return sum;
}

static void frame(uint8_t *f, const char *dst_mac, const char *dev)
{
	static const uint8_t ip[] = { 0x45, 0, 0,  46, 0, 0,  0x40, 0,	64, 17,
				      0,    0, 10, 77, 0, 11, 10,   78, 0,  100 };
	struct ifreq ifr = { 0 };
	uint32_t sum = 0;
	int fd, i;

	memset(f, 0, FRAME_LEN);
	if (sscanf(dst_mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &f[0], &f[1], &f[2], &f[3], &f[4],
		   &f[5]) != 6) {
		fprintf(stderr, "vgw-trafficgen: '%s' is not a MAC\n", dst_mac);
		exit(2);
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr))
		die(dev);
	close(fd);
	memcpy(f + 6, ifr.ifr_hwaddr.sa_data, 6);
	f[12] = 0x08;
	memcpy(f + 14, ip, sizeof(ip));
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(f[14 + i] << 8 | f[15 + i]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	f[24] = (uint8_t)(~sum >> 8);
	f[25] = (uint8_t)~sum;
	f[34] = 4000 >> 8, f[35] = 0; /* source port 4000 + CPU: see open_load */
	f[37] = 9;		      /* discard */
	f[39] = 26;		      /* UDP length */
}

/* One core's generator: live frames until killed. */
static void generate(int prog_fd, int ifindex, const uint8_t *f, int cpu)
{
	struct xdp_md ctx = { .data_end = FRAME_LEN, .ingress_ifindex = (__u32)ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f, .data_size_in = FRAME_LEN,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = REPEAT,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = BATCH);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("pin the generator");
	if (getenv("GEN_REPEAT"))
		opts.repeat = atoi(getenv("GEN_REPEAT"));
	for (;;)
		if (bpf_prog_test_run_opts(prog_fd, &opts))
			die("live test run");
}

/* Whether this kernel sends live frames (some refuse them, EPERM): one frame to try. */
static bool live_frames_work(int prog_fd, int ifindex, const uint8_t *f)
{
	struct xdp_md ctx = { .data_end = FRAME_LEN, .ingress_ifindex = (__u32)ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f, .data_size_in = FRAME_LEN,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = 1,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = 1);

	return bpf_prog_test_run_opts(prog_fd, &opts) == 0;
}

/*
 * trafgen on CPUS cores until killed, each its own flow (source port 4000 +
 * CPU), as the live generator sends them. Returns its process group.
 */
static pid_t trafgen(const char *dev, const uint8_t *f, int cpus)
{
	char conf[] = "/tmp/vgw-trafgen-XXXXXX", ncpus[16];
	FILE *out;
	pid_t pid;
	int fd, cpu, i;

	fd = mkstemp(conf);
	out = fd < 0 ? NULL : fdopen(fd, "w");
	if (!out)
		die("write the trafgen config");
	for (cpu = 0; cpu < cpus; cpu++) {
		fprintf(out, "cpu(%d): {", cpu);
		for (i = 0; i < FRAME_LEN; i++)
			fprintf(out, "%s0x%02x", i ? ", " : " ", i == 35 ? (uint8_t)cpu : f[i]);
		fprintf(out, " }\n");
	}
	fclose(out);
	snprintf(ncpus, sizeof(ncpus), "%d", cpus);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		setpgid(0, 0);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execlp("trafgen", "trafgen", "--dev", dev, "--conf", conf, "--cpus", ncpus, "-C",
		       "-Q", (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	/* it has read its config once it sends, by the end of the warm-up */
	usleep(200000);
	unlink(conf);
	return pid;
}

static int cmd_gen(char **argv)
{
	int ifindex, cpus = atoi(argv[3]), i, fd;
	double secs = atof(argv[4]);
	pid_t kids[64];
	uint8_t f[FRAME_LEN];
	uint64_t c0, c1, t0, t1;
	pid_t group = 0;
	bool live;
	struct fwd *s;

	if (cpus < 1 || cpus > 64 || secs <= 0) {
		fprintf(stderr, "vgw-trafficgen: bad CPUS or SECONDS\n");
		return 2;
	}
	fd = bpf_obj_get(argv[5]);
	if (fd < 0)
		die(argv[5]);
	enter_netns(argv[0]);
	ifindex = ifindex_of(argv[1]);
	frame(f, argv[2], argv[1]);
	s = open_load(f);
	live = live_frames_work(bpf_program__fd(s->progs.gen_tx), ifindex, f);
	for (i = 0; live && i < cpus; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			die("fork");
		if (kids[i] == 0)
			generate(bpf_program__fd(s->progs.gen_tx), ifindex, f, i);
	}
	if (!live)
		group = trafgen(argv[1], f, cpus);
	t0 = now_ns() + WARMUP_NS;
	while (now_ns() < t0)
		usleep(10000);
	c0 = count(fd);
	t0 = now_ns();
	usleep((useconds_t)(secs * 1e6));
	c1 = count(fd);
	t1 = now_ns();
	for (i = 0; live && i < cpus; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; live && i < cpus; i++)
		waitpid(kids[i], NULL, 0);
	if (group) {
		kill(-group, SIGKILL);
		waitpid(group, NULL, 0);
	}
	printf("%.0f %s\n", (double)(c1 - c0) * 1e9 / (double)(t1 - t0), live ? "live" : "trafgen");
	fwd__destroy(s);
	return 0;
}

static int cmd_sink(char **argv)
{
	struct fwd *s;

	enter_netns(argv[0]);
	s = open_load(NULL);
	attach(s->progs.sink, ifindex_of(argv[1]));
	if (bpf_map__pin(s->maps.sink_count, argv[2]))
		die(argv[2]);
	fwd__destroy(s);
	return 0;
}

static int cmd_fwd(char **argv)
{
	struct fwd *s;
	__u32 out;

	enter_netns(argv[0]);
	s = open_load(NULL);
	out = (__u32)ifindex_of(argv[2]);
	if (bpf_map_update_elem(bpf_map__fd(s->maps.tx_ports), &out, &out, BPF_ANY))
		die("fill the devmap");
	attach(s->progs.bare_fwd, ifindex_of(argv[1]));
	fwd__destroy(s);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 8 && !strcmp(argv[1], "gen"))
		return cmd_gen(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "sink"))
		return cmd_sink(argv + 2);
	if (argc == 5 && !strcmp(argv[1], "fwd"))
		return cmd_fwd(argv + 2);
	fprintf(stderr, "usage: vgw-trafficgen sink NETNS DEV PIN | fwd NETNS DEV OUT | gen "
			"NETNS DEV DST-MAC CPUS SECONDS PIN\n");
	return 2;
}
