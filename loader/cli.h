/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_CLI_H
#define VGW_CLI_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vgw_common.h"

enum vgw_cmd {
	VGW_CMD_NONE = 0,
	VGW_CMD_LOAD,
	VGW_CMD_UNLOAD,
	VGW_CMD_STATUS,
	VGW_CMD_RUN,
	VGW_CMD_HELP,
	VGW_CMD_VERSION,
};

enum vgw_xdp_mode_opt {
	VGW_XDP_MODE_AUTO = 0, /* native where the driver has it, else skb */
	VGW_XDP_MODE_NATIVE,
	VGW_XDP_MODE_SKB,
};

#define VGW_CLI_MAX_PEERS  15
#define VGW_CLI_MAX_TRACKS 8
#define VGW_DEFAULT_MCAST  "224.0.0.118"
#define VGW_DEFAULT_MCAST6 "ff02::7667"
#define VGW_DEFAULT_PORT   7667
#define VGW_STR(x)	   #x
#define VGW_XSTR(x)	   VGW_STR(x) /* a macro's value as a string */

struct vgw_cli {
	enum vgw_cmd cmd;
	char iface[IF_NAMESIZE];
	unsigned int group;
	struct in_addr vip;	     /* 0.0.0.0: none (an IPv6-only LAN) */
	struct in6_addr vip6;	     /* the virtual link-local; :: none */
	struct in6_addr vip6_global; /* :: none */
	struct in_addr router_id;    /* --router-id; 0.0.0.0: the interface's IPv4 address */
	unsigned int n_vmacs;
	bool own[VGW_VMAC_SLOTS]; /* own[i]: this router forwards vMAC index i */
	bool avg;
	bool json;
	unsigned int xdp_mode; /* enum vgw_xdp_mode_opt */
	bool fast_path;	       /* forward owned frames in XDP */
	int verbose;

	/* vgw run */
	char config_file[256];
	unsigned int priority;
	unsigned int weight;
	bool preempt;
	unsigned int preempt_delay_ms;
	unsigned int hello_ms;
	unsigned int hold_ms;
	bool allow_short_hold; /* accept --hold-ms below 3 x --hello-ms */
	unsigned int grace_ms;
	unsigned int handoff_ms; /* connection handoff window after a move here; 0: off */
	bool handoff_asked;	 /* --handoff-ms given (not 0): refused without conntrack */
	unsigned int drain_ms;	 /* a graceful stop waits for handed-off flows this long */
	char key_file[256];
	unsigned int n_peers; /* IPv4 peers */
	struct in_addr peers[VGW_CLI_MAX_PEERS];
	unsigned int n_peers6; /* IPv6 peers (one family or the other) */
	struct in6_addr peers6[VGW_CLI_MAX_PEERS];
	unsigned int n_tracks;
	char tracks[VGW_CLI_MAX_TRACKS][IF_NAMESIZE];
	unsigned int track_decrement;
	unsigned int weight_lower;
	unsigned int weight_upper;
	struct in_addr mcast_addr;
	struct in6_addr mcast6; /* where IPv6 hellos go */
	bool mcast_v6;		/* --mcast was an IPv6 address */
	bool hello_v6;		/* hellos over IPv6: --mcast or --peer IPv6, or no --vip */
	unsigned int port;
	/* balancing (vgw run) */
	unsigned int poll_ms;
	unsigned int smoothing_ms;
	unsigned int balance_on_packets; /* 1: shares of packets/s, 0: of bytes/s */
	unsigned int target_weighted;	 /* 1: shares in proportion to weight */
	unsigned int balance_threshold;	 /* percentage points */
	unsigned int balance_hold_ms;
	unsigned int move_cooldown_ms;
	unsigned int max_moves;
	unsigned int balance_min_pps; /* below this total the shares are noise */
	unsigned int lb;	      /* enum vgw_lb_method */
	/* operators' hooks (vgw run) */
	struct in_addr metrics_addr; /* --metrics ADDR:PORT; port 0: no metrics endpoint */
	unsigned int metrics_port;
	char notify[256]; /* --notify CMD: run on every event; empty: none */
	unsigned int notify_timeout_ms;
};

/*
 * Every option is one row of the table in cli.c (name, type, range, field,
 * commands, help): parsing, config files, duplicate checks and the usage text
 * all come from it. Parse argv (argv[0] is the program, argv[1] the command). On error returns
 * -1 with a one-line message in err and touches nothing else. The only I/O
 * is reading the file of `run -c FILE`, whose keys are the flags' names.
 */
int cli_parse(int argc, char **argv, struct vgw_cli *cli, char *err, size_t errlen);
void cli_usage(FILE *out);

/*
 * A man page from its scdoc template: each "@option --NAME" line becomes
 * NAME's entry from the table (its heading, and --help's words and default
 * as the first sentence); the tab-indented lines after it stay as written;
 * then a line from the table: which commands take it (vgw(8)) and whether
 * only a restart changes it. conf: vgw.conf(5), whose entries are the config
 * keys (vgw run's options but -c). Returns -1 with the first problem in err
 * when a line names no option of the page, names one twice, or the page
 * leaves one out; the page is written all the same.
 */
int cli_man_page(FILE *out, const char *tmpl, bool conf, char *err, size_t errlen);

/*
 * Apply a config text ("key value" per line, # comments) to cli as if its
 * keys were flags of cmd. Flags on the command line are applied after it.
 */
/*
 * SIGHUP: the options only a restart changes (the table's restart_only) are
 * set back in next to running's. Their names, where they differed, go into
 * changed ("vmacs, port"); returns how many differed.
 */
unsigned int cli_keep_restart_only(struct vgw_cli *next, const struct vgw_cli *running,
				   char *changed, size_t len);

int cli_parse_config(const char *text, struct vgw_cli *cli, char *err, size_t errlen);

#endif
