// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "group.h"
#include "log.h"
#include "notify.h"

extern char **environ;

static const char *event_name(uint8_t kind)
{
	static const char *const names[] = {
		[VGW_EVENT_ROLE] = "role",	     [VGW_EVENT_VMAC_GAINED] = "vmac-gained",
		[VGW_EVENT_VMAC_LOST] = "vmac-lost", [VGW_EVENT_MISMATCH] = "mismatch",
		[VGW_EVENT_LEAVING] = "leaving",
	};

	return kind < sizeof(names) / sizeof(names[0]) && names[kind] ? names[kind] : "unknown";
}

static void add_arg(struct notify_cmdline *c, const char *fmt, const char *v)
{
	if (c->n_args < NOTIFY_ARGS)
		snprintf(c->arg[c->n_args++], NOTIFY_STRLEN, fmt, v);
}

/* An argument and its VGW_NAME=value twin. */
static void add_both(struct notify_cmdline *c, const char *env, const char *v)
{
	add_arg(c, "%s", v);
	if (c->n_envs < NOTIFY_ENVS)
		snprintf(c->env[c->n_envs++], NOTIFY_STRLEN, "%s=%s", env, v);
}

static void add_env(struct notify_cmdline *c, const char *env, const char *v)
{
	if (c->n_envs < NOTIFY_ENVS)
		snprintf(c->env[c->n_envs++], NOTIFY_STRLEN, "%s=%s", env, v);
}

static void mismatch_str(uint8_t m, char *buf, size_t len)
{
	static const char *const names[] = { "vip", "vmacs", "hello_ms", "hold_ms" };
	size_t off = 0;
	unsigned int b;

	buf[0] = '\0';
	for (b = 0; b < 4 && off < len; b++)
		if (m & (1u << b))
			off += snprintf(buf + off, len - off, "%s%s", off ? "," : "", names[b]);
}

void notify_cmdline(const struct vgw_event *ev, const char *iface, unsigned int group,
		    struct notify_cmdline *out)
{
	char num[16], mac_s[18], ip[INET_ADDRSTRLEN] = "";
	uint8_t mac[6];

	memset(out, 0, sizeof(*out));
	snprintf(num, sizeof(num), "%u", group);
	add_both(out, "VGW_EVENT", event_name(ev->kind));
	add_both(out, "VGW_IFACE", iface);
	add_both(out, "VGW_GROUP", num);
	if (ev->kind == VGW_EVENT_ROLE) {
		add_both(out, "VGW_ROLE", group_state_name(ev->role));
		add_both(out, "VGW_PREV_ROLE",
			 ev->prev_role == 0xff ? "none" : group_state_name(ev->prev_role));
		return;
	}
	add_env(out, "VGW_ROLE", group_state_name(ev->role));
	if (ev->router)
		inet_ntop(AF_INET, &ev->router, ip, sizeof(ip));
	switch (ev->kind) {
	case VGW_EVENT_VMAC_GAINED:
	case VGW_EVENT_VMAC_LOST:
		vgw_vmac_from_index(group, ev->index, mac);
		snprintf(mac_s, sizeof(mac_s), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
			 mac[2], mac[3], mac[4], mac[5]);
		snprintf(num, sizeof(num), "%u", ev->index);
		add_both(out, "VGW_VMAC_INDEX", num);
		add_both(out, "VGW_VMAC", mac_s);
		if (ev->kind == VGW_EVENT_VMAC_LOST)
			add_both(out, "VGW_ROUTER", ip);
		break;
	case VGW_EVENT_MISMATCH: {
		char what[40];

		mismatch_str(ev->mismatch, what, sizeof(what));
		add_both(out, "VGW_ROUTER", ip);
		add_both(out, "VGW_MISMATCH", what);
		break;
	}
	default:
		break;
	}
}

void notify_init(struct vgw_notify *n, const char *cmd, unsigned int timeout_ms, const char *iface,
		 unsigned int group)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->cmd, sizeof(n->cmd), "%s", cmd);
	n->timeout_ms = timeout_ms;
	snprintf(n->iface, sizeof(n->iface), "%s", iface);
	n->group = group;
}

void notify_queue(struct vgw_notify *n, const struct vgw_event *ev, unsigned int count)
{
	unsigned int k;

	if (!n->cmd[0])
		return;
	for (k = 0; k < count; k++) {
		if (n->n_queued == NOTIFY_QUEUE) {
			n->counters.dropped++;
			if (!n->overflowed)
				pr_warn("vgw: %s: warning: %u --notify events are waiting; "
					"dropping "
					"further ones until they have run\n",
					n->iface, NOTIFY_QUEUE);
			n->overflowed = true;
			continue;
		}
		n->queue[(n->head + n->n_queued++) % NOTIFY_QUEUE] = ev[k];
	}
}

/* "role avg" etc.: the event as the log names it */
static void describe(const struct vgw_event *ev, char *buf, size_t len)
{
	if (ev->kind == VGW_EVENT_ROLE)
		snprintf(buf, len, "role %s", group_state_name(ev->role));
	else if (ev->kind == VGW_EVENT_VMAC_GAINED || ev->kind == VGW_EVENT_VMAC_LOST)
		snprintf(buf, len, "%s %u", event_name(ev->kind), ev->index);
	else
		snprintf(buf, len, "%s", event_name(ev->kind));
}

static void start(struct vgw_notify *n, uint64_t now)
{
	struct notify_cmdline c;
	char *argv[NOTIFY_ARGS + 2], *envp[1024 + NOTIFY_ENVS + 1], what[48];
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dflt;
	unsigned int i, k = 0;
	int err;

	n->running = n->queue[n->head];
	n->head = (n->head + 1) % NOTIFY_QUEUE;
	n->n_queued--;
	if (n->n_queued < NOTIFY_QUEUE / 2)
		n->overflowed = false;
	notify_cmdline(&n->running, n->iface, n->group, &c);
	argv[0] = n->cmd;
	for (i = 0; i < c.n_args; i++)
		argv[i + 1] = c.arg[i];
	argv[c.n_args + 1] = NULL;
	/* the daemon's environment, but for VGW_* of its own */
	for (i = 0; environ[i] && k < 1024; i++)
		if (strncmp(environ[i], "VGW_", 4))
			envp[k++] = environ[i];
	for (i = 0; i < c.n_envs; i++)
		envp[k++] = c.env[i];
	envp[k] = NULL;

	/* the daemon blocks its signals (signalfd): a run starts with none blocked */
	sigemptyset(&none);
	sigemptyset(&dflt);
	sigaddset(&dflt, SIGPIPE);
	sigaddset(&dflt, SIGCHLD);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dflt);
	posix_spawnattr_setpgroup(&attr, 0); /* its own group: a timeout kills its children too */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
						POSIX_SPAWN_SETPGROUP);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	err = posix_spawn(&n->pid, n->cmd, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	n->counters.runs++;
	describe(&n->running, what, sizeof(what));
	if (err) {
		n->pid = 0;
		n->counters.failed++;
		pr_warn("vgw: %s: warning: notify %s: cannot run %s: %s\n", n->iface, what, n->cmd,
			strerror(err));
		return;
	}
	n->started_ms = now;
	n->killed = false;
}

static void reap(struct vgw_notify *n, uint64_t now)
{
	unsigned long long ms = now - n->started_ms;
	char what[48];
	int status;
	pid_t r = waitpid(n->pid, &status, WNOHANG);

	if (r == 0 || (r < 0 && errno == EINTR))
		return;
	n->pid = 0;
	describe(&n->running, what, sizeof(what));
	if (r < 0) {
		n->counters.failed++;
		pr_warn("vgw: %s: warning: notify %s: lost %s: %s\n", n->iface, what, n->cmd,
			strerror(errno));
	} else if (n->killed) {
		n->counters.failed++;
		n->counters.timeouts++;
		pr_warn("vgw: %s: warning: notify %s: %s killed after %llu ms "
			"(--notify-timeout-ms %u)\n",
			n->iface, what, n->cmd, ms, n->timeout_ms);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		pr_info("vgw: %s: notify %s: %s exited 0 after %llu ms\n", n->iface, what, n->cmd,
			ms);
	} else {
		n->counters.failed++;
		if (WIFEXITED(status))
			pr_warn("vgw: %s: warning: notify %s: %s exited %d after %llu ms\n",
				n->iface, what, n->cmd, WEXITSTATUS(status), ms);
		else
			pr_warn("vgw: %s: warning: notify %s: %s died of signal %d after %llu ms\n",
				n->iface, what, n->cmd, WTERMSIG(status), ms);
	}
}

void notify_poll(struct vgw_notify *n, uint64_t now)
{
	if (n->pid)
		reap(n, now);
	if (n->pid && !n->killed && now - n->started_ms >= n->timeout_ms) {
		kill(-n->pid, SIGKILL);
		n->killed = true;
		reap(n, now);
	}
	while (!n->pid && n->n_queued)
		start(n, now);
}

int notify_timeout_ms(const struct vgw_notify *n, uint64_t now)
{
	uint64_t end = n->started_ms + n->timeout_ms;

	if (!n->pid)
		return -1;
	/* killed: reaped by the SIGCHLD wakeup, or this look again */
	return n->killed ? 10 : end > now ? (int)(end - now) : 0;
}

void notify_drain(struct vgw_notify *n)
{
	uint64_t deadline = vgw_mono_ms() + n->timeout_ms;

	while ((n->pid || n->n_queued) && vgw_mono_ms() < deadline) {
		struct timespec tick = { 0, 5 * 1000000 };

		notify_poll(n, vgw_mono_ms());
		if (n->pid)
			nanosleep(&tick, NULL);
	}
	if (n->pid) {
		kill(-n->pid, SIGKILL);
		n->killed = true;
		waitpid(n->pid, NULL, 0);
		n->pid = 0;
	}
	if (n->n_queued)
		pr_warn("vgw: %s: warning: %u --notify events not run at exit: out of time\n",
			n->iface, n->n_queued);
}
