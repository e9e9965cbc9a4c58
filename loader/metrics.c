// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "group.h"
#include "log.h"
#include "counters.h"
#include "metrics.h"
#include "version.h"

/* A scraper can ask as often as it likes: the maps are read at most this often. */
#define METRICS_MIN_INTERVAL_MS 100
/* Bounds on what scrapers can hold: connections, time and memory per connection. */
#define METRICS_MAX_CONNS      16
#define METRICS_MAX_CONNS_IP   4
#define METRICS_CONN_TIMEOUT_S 5

/* Label values in the exposition format: backslash, quote and newline escaped. */
static void put_label_value(FILE *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', out);
		if (*v == '\n') {
			fputs("\\n", out);
			continue;
		}
		fputc(*v, out);
	}
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{iface="..",group="N"<extra>} : the caller adds more labels and the value */
static void sample_start(FILE *out, const char *name, const struct vgw_status *st)
{
	fprintf(out, "%s{iface=\"", name);
	put_label_value(out, st->iface);
	fprintf(out, "\",group=\"%u\"", st->cfg.group);
}

static void sample_u64(FILE *out, const char *name, const struct vgw_status *st, const char *labels,
		       uint64_t v)
{
	sample_start(out, name, st);
	fprintf(out, "%s} %llu\n", labels, (unsigned long long)v);
}

static void sample_f(FILE *out, const char *name, const struct vgw_status *st, const char *labels,
		     double v)
{
	sample_start(out, name, st);
	fprintf(out, "%s} %.6g\n", labels, v);
}

/* A family of one sample, with the common labels only. */
static void single(FILE *out, const struct vgw_status *st, const char *name, const char *type,
		   const char *help, uint64_t v)
{
	family(out, name, type, help);
	sample_u64(out, name, st, "", v);
}

static void vmac_labels(const struct vgw_status *st, unsigned int k, char *buf, size_t len)
{
	const struct vgw_vmac_entry *e = &st->vmacs[k].entry;
	char owner[16] = "";

	if (!ip4_zero(e->owner))
		ip4_str(e->owner, owner, sizeof(owner));
	snprintf(buf, len, ",vmac=\"%02x:%02x:%02x:%02x:%02x:%02x\",index=\"%u\",owner=\"%s\"",
		 e->mac[0], e->mac[1], e->mac[2], e->mac[3], e->mac[4], e->mac[5],
		 st->vmacs[k].index, owner);
}

/* A per-vMAC counter struct's families, from its table: a sample per vMAC in each. */
static void format_vmac_counters(FILE *out, const struct vgw_status *st,
				 const struct vgw_counter_table *t, size_t member)
{
	char labels[96];
	unsigned int k;
	size_t f;

	for (f = 0; f < t->n; f++) {
		family(out, t->rows[f].family, "counter", t->rows[f].help);
		for (k = 0; k < st->n_vmacs; k++) {
			vmac_labels(st, k, labels, sizeof(labels));
			sample_u64(
				out, t->rows[f].family, st, labels,
				counter_value(&t->rows[f], (const char *)&st->vmacs[k] + member));
		}
	}
}

static void format_vmacs(FILE *out, const struct vgw_status *st)
{
	char labels[96];
	unsigned int k;

	format_vmac_counters(out, st, &vgw_vmac_counter_table,
			     offsetof(struct vgw_status_vmac, counters));
	family(out, "vgw_vmac_forwarded_here", "gauge",
	       "1 if this router forwards the vMAC (owned, or released and in its grace time).");
	for (k = 0; k < st->n_vmacs; k++) {
		uint8_t s = st->vmacs[k].entry.state;

		vmac_labels(st, k, labels, sizeof(labels));
		sample_u64(out, "vgw_vmac_forwarded_here", st, labels,
			   s == VGW_VMAC_OWNED || s == VGW_VMAC_RELEASING);
	}
	family(out, "vgw_vmac_rate_packets_per_second", "gauge",
	       "The vMAC's smoothed packet rate, as its owner measures it.");
	for (k = 0; k < st->n_vmacs; k++) {
		vmac_labels(st, k, labels, sizeof(labels));
		sample_u64(out, "vgw_vmac_rate_packets_per_second", st, labels, st->rates[k].pps);
	}
	family(out, "vgw_vmac_rate_bytes_per_second", "gauge",
	       "The vMAC's smoothed byte rate, as its owner measures it.");
	for (k = 0; k < st->n_vmacs; k++) {
		vmac_labels(st, k, labels, sizeof(labels));
		sample_u64(out, "vgw_vmac_rate_bytes_per_second", st, labels, st->rates[k].bps);
	}
}

static void format_routers(FILE *out, const struct vgw_status *st)
{
	double share[VGW_MAX_ROUTERS], target[VGW_MAX_ROUTERS];
	char labels[VGW_MAX_ROUTERS][48], id[16];
	unsigned int r;

	status_group_shares(st, share, target);
	for (r = 0; r < st->n_routers; r++) {
		ip4_str(st->routers[r].id, id, sizeof(id));
		snprintf(labels[r], sizeof(labels[r]), ",router=\"%s\",self=\"%u\"", id, r == 0);
	}
	single(out, st, "vgw_routers", "gauge",
	       "Routers in the group heard within the hold time, this one included.",
	       st->n_routers);
	family(out, "vgw_router_share_ratio", "gauge",
	       "The router's share of the group's traffic (0-1), as the balancer measures it.");
	for (r = 0; r < st->n_routers; r++)
		sample_f(out, "vgw_router_share_ratio", st, labels[r], share[r] / 100.0);
	family(out, "vgw_router_target_ratio", "gauge",
	       "The share (0-1) the balancer keeps the router near.");
	for (r = 0; r < st->n_routers; r++)
		sample_f(out, "vgw_router_target_ratio", st, labels[r], target[r] / 100.0);
	family(out, "vgw_router_weight", "gauge",
	       "The router's advertised weight (0: it gives its vMACs away).");
	for (r = 0; r < st->n_routers; r++)
		sample_u64(out, "vgw_router_weight", st, labels[r], st->routers[r].weight);
	family(out, "vgw_router_priority", "gauge", "The router's AVG election priority.");
	for (r = 0; r < st->n_routers; r++)
		sample_u64(out, "vgw_router_priority", st, labels[r], st->routers[r].priority);
	family(out, "vgw_router_last_hello_age_seconds", "gauge",
	       "Time since the router's last accepted hello (0 for this router).");
	for (r = 0; r < st->n_routers; r++) {
		uint64_t h = st->routers[r].heard_ms;

		sample_f(out, "vgw_router_last_hello_age_seconds", st, labels[r],
			 r && h && st->now_ms > h ? (double)(st->now_ms - h) / 1000.0 : 0.0);
	}
}

static void format_role(FILE *out, const struct vgw_status *st)
{
	char labels[32];
	uint8_t s;

	family(out, "vgw_role", "gauge",
	       "1 for this router's role in the group (init, listen, standby, avg, leaving).");
	for (s = VGW_STATE_INIT; s <= VGW_STATE_LEAVING; s++) {
		snprintf(labels, sizeof(labels), ",role=\"%s\"", group_state_name(s));
		sample_u64(out, "vgw_role", st, labels, st->daemon.role == s);
	}
}

/* A counter struct's families, from its table (counters.h). */
static void format_counters(FILE *out, const struct vgw_status *st,
			    const struct vgw_counter_table *t, const void *base)
{
	char labels[64];
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct vgw_counter_row *r = &t->rows[i];

		if (!i || strcmp(r->family, t->rows[i - 1].family))
			family(out, r->family, "counter", r->help);
		snprintf(labels, sizeof(labels), "%s%s", r->label[0] ? "," : "", r->label);
		sample_u64(out, r->family, st, labels, counter_value(r, base));
	}
}

/* --fast-path, where it is on: what it forwarded and what it left to the kernel. */
static void format_fast(FILE *out, const struct vgw_status *st)
{
	char labels[48];
	unsigned int i;

	if (!(st->cfg.flags & VGW_CFG_F_FAST_PATH))
		return;
	single(out, st, "vgw_fast_path_forwarded_packets_total", "counter",
	       "Owned frames forwarded in XDP (--fast-path).", st->fast.forwarded_packets);
	single(out, st, "vgw_fast_path_forwarded_bytes_total", "counter",
	       "Bytes of owned frames forwarded in XDP (--fast-path).", st->fast.forwarded_bytes);
	family(out, "vgw_fast_path_fallbacks_total", "counter",
	       "Owned frames the fast path left to the kernel, by reason (see vgw(8)).");
	for (i = 0; i < VGW_FAST_N_FALLBACKS; i++) {
		snprintf(labels, sizeof(labels), ",reason=\"%s\"", status_fast_reason(i));
		sample_u64(out, "vgw_fast_path_fallbacks_total", st, labels,
			   VGW_FAST_FALLBACK(&st->fast, i));
	}
	single(out, st, "vgw_fast_path_ports", "gauge",
	       "Egress interfaces the fast path redirects to (they take XDP frames).",
	       st->n_fast_ports);
}

/* Connection handoff, where it is on: per vMAC, what went to the old owner and what came here. */
static void format_handoff(FILE *out, const struct vgw_status *st)
{
	struct vgw_handoff_counters sum;
	unsigned int windows;

	if (!(st->cfg.flags & VGW_CFG_F_HANDOFF))
		return;
	format_vmac_counters(out, st, &vgw_handoff_counter_table,
			     offsetof(struct vgw_status_vmac, handoff_counters));
	windows = status_handoff_totals(st, &sum);
	single(out, st, "vgw_handoff_windows", "gauge",
	       "vMACs whose unknown flows go to their previous owner now.", windows);
	single(out, st, "vgw_handoff_flows_open", "gauge",
	       "Flows other routers hand off to this one, still open (a graceful stop waits).",
	       st->handoff_flows_open);
}

void metrics_format(FILE *out, const struct vgw_status *st, const struct vgw_run_counters *c)
{
	char vip[16], rid[16], labels[96];

	ip4_str(st->cfg.vip, vip, sizeof(vip));
	ip4_str(st->cfg.router_id, rid, sizeof(rid));
	snprintf(labels, sizeof(labels), ",vip=\"%s\",router=\"%s\",version=\"%s\"", vip, rid,
		 VGW_VERSION);
	family(out, "vgw_info", "gauge", "vgw on this interface: its vIP, router id and version.");
	sample_u64(out, "vgw_info", st, labels, 1);
	format_role(out, st);
	format_vmacs(out, st);
	format_routers(out, st);
	format_counters(out, st, &vgw_hello_counter_table, &st->hellos);
	single(out, st, "vgw_balance_rounds_total", "counter",
	       "Balance rounds in which this router, as AVG, moved vMACs.", c->balance_rounds);
	single(out, st, "vgw_balance_moves_total", "counter", "vMACs this router moved as AVG.",
	       c->balance_moves);
	format_counters(out, st, &vgw_arp_counter_table, &st->arp);
	format_fast(out, st);
	format_handoff(out, st);
	/* IPv6 Neighbor Discovery, where vgw serves it */
	if (!ip6_zero(st->cfg.vip6))
		format_counters(out, st, &vgw_nd_counter_table, &st->nd);
	family(out, "vgw_daemon_heartbeat_age_seconds", "gauge",
	       "Time since vgw run last re-armed the data plane's fail-safe timer.");
	sample_f(out, "vgw_daemon_heartbeat_age_seconds", st, "",
		 (double)status_heartbeat_age_ms(st) / 1000.0);
	single(out, st, "vgw_daemon_failed_safe", "gauge",
	       "1 while the data plane has failed safe (forwards no vMAC, answers no ARP).",
	       st->heartbeat.failed_safe);
	single(out, st, "vgw_notify_runs_total", "counter", "--notify commands started.",
	       c->notify.runs);
	single(out, st, "vgw_notify_failures_total", "counter",
	       "--notify commands that failed: exit status not 0, killed, or not started.",
	       c->notify.failed);
	single(out, st, "vgw_notify_timeouts_total", "counter",
	       "--notify commands killed after --notify-timeout-ms.", c->notify.timeouts);
	single(out, st, "vgw_notify_dropped_total", "counter",
	       "Events whose --notify command never ran: too many were waiting.",
	       c->notify.dropped);
}

struct vgw_metrics {
	struct MHD_Daemon *mhd;
	int listen_fd;
	char iface[IF_NAMESIZE];
	pthread_mutex_t lock; /* guards counters: the loop writes, the server thread reads */
	struct vgw_run_counters counters;
	/* the server thread's alone */
	struct vgw_status st;
	char *text;
	size_t text_len;
	uint64_t text_ms; /* when text was made; 0: never */
	bool text_ok;
};

/* The exposition text, made again when the last one is older than the minimum interval. */
static void refresh(struct vgw_metrics *mx)
{
	struct vgw_run_counters c;
	uint64_t now = vgw_mono_ms();
	FILE *f;

	if (mx->text_ms && now - mx->text_ms < METRICS_MIN_INTERVAL_MS)
		return;
	mx->text_ms = now;
	free(mx->text);
	mx->text = NULL;
	mx->text_len = 0;
	mx->text_ok = !status_collect(mx->iface, &mx->st);
	if (!mx->text_ok)
		return;
	pthread_mutex_lock(&mx->lock);
	c = mx->counters;
	pthread_mutex_unlock(&mx->lock);
	f = open_memstream(&mx->text, &mx->text_len);
	if (!f) {
		mx->text_ok = false;
		return;
	}
	metrics_format(f, &mx->st, &c);
	mx->text_ok = !ferror(f);
	fclose(f);
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int code, const char *type,
			     const char *body, size_t len)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_size, void **con_cls)
{
	static const char not_found[] = "vgw serves /metrics only\n";
	static const char not_up[] = "vgw: the data plane is not up\n";
	struct vgw_metrics *mx = cls;

	(void)version;
	(void)con_cls;
	if (*upload_size) {
		*upload_size = 0; /* a body is read and ignored */
		return MHD_YES;
	}
	(void)upload_data;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", not_found,
			     sizeof(not_found) - 1);
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain", not_found,
			     sizeof(not_found) - 1);
	refresh(mx);
	if (!mx->text_ok)
		return reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", not_up,
			     sizeof(not_up) - 1);
	return reply(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", mx->text,
		     mx->text_len);
}

/* Our own socket: a bind error is ours to report, in one line. */
static int listen_on(struct in_addr addr, unsigned int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr = addr };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, METRICS_MAX_CONNS)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

struct vgw_metrics *metrics_start(const char *iface, struct in_addr addr, unsigned int port,
				  char *err, size_t errlen)
{
	struct vgw_metrics *mx = calloc(1, sizeof(*mx));
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &addr, a, sizeof(a));
	if (!mx) {
		snprintf(err, errlen, "--metrics: out of memory");
		return NULL;
	}
	snprintf(mx->iface, sizeof(mx->iface), "%s", iface);
	pthread_mutex_init(&mx->lock, NULL);
	mx->listen_fd = listen_on(addr, port);
	if (mx->listen_fd < 0) {
		snprintf(err, errlen, "--metrics: cannot listen on %s:%u: %s", a, port,
			 strerror(-mx->listen_fd));
		goto out_free;
	}
	mx->mhd = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, handle, mx,
		MHD_OPTION_LISTEN_SOCKET, mx->listen_fd, MHD_OPTION_CONNECTION_LIMIT,
		(unsigned int)METRICS_MAX_CONNS, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned int)METRICS_MAX_CONNS_IP, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned int)METRICS_CONN_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)32768, MHD_OPTION_END);
	if (!mx->mhd) {
		snprintf(err, errlen, "--metrics: cannot start the HTTP server on %s:%u", a, port);
		goto out_close;
	}
	return mx;
out_close:
	close(mx->listen_fd);
out_free:
	pthread_mutex_destroy(&mx->lock);
	free(mx);
	return NULL;
}

void metrics_update(struct vgw_metrics *mx, const struct vgw_run_counters *c)
{
	if (!mx)
		return;
	pthread_mutex_lock(&mx->lock);
	mx->counters = *c;
	pthread_mutex_unlock(&mx->lock);
}

void metrics_stop(struct vgw_metrics *mx)
{
	if (!mx)
		return;
	MHD_stop_daemon(mx->mhd); /* it closes the listening socket too */
	pthread_mutex_destroy(&mx->lock);
	free(mx->text);
	free(mx);
}
