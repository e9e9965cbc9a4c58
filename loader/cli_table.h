/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The option table's rows, shared by the parser (cli.c), --help and the man
 * pages' option lists (cli_help.c). The rows themselves are in cli_table.c.
 */
#ifndef VGW_CLI_TABLE_H
#define VGW_CLI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

enum cli_type {
	T_FLAG,	    /* bool, no value */
	T_COUNT,    /* int, no value, counts */
	T_UINT,	    /* unsigned int in [min, max] */
	T_IFNAME,   /* char[IF_NAMESIZE]; with count_off, a list of them */
	T_PATH,	    /* char[256] */
	T_UNICAST4, /* struct in_addr usable as a gateway; with count_off, a list */
	T_MCAST,    /* struct in_addr, multicast; an IPv6 one goes to mcast6 */
	T_VIP6,	    /* struct in6_addr: link-local unicast (.min 1) or global unicast (.min 0) */
	T_PEER,	    /* IPv4 to peers[], IPv6 to peers6[] */
	T_CHOICE,   /* unsigned int, one of choices */
	T_OWN,	    /* --own's index list into own[] */
	T_ADDRPORT, /* "ADDR:PORT": struct in_addr at off, its unsigned int port at port_off */
};

struct cli_choice {
	const char *name;
	unsigned int value;
};

struct cli_opt {
	const char *name;  /* "--iface"; config files use it without the dashes */
	const char *alias; /* "-c", or NULL */
	enum cli_type type;
	unsigned long min, max;
	size_t off;	  /* field in struct vgw_cli */
	size_t count_off; /* repeatable lists: their unsigned int count (0: not a list) */
	unsigned int max_count;
	size_t port_off;		  /* T_ADDRPORT */
	const struct cli_choice *choices; /* T_CHOICE, NULL-terminated */
	const char *what;		  /* T_UINT: "a group number" instead of "out of range" */
	unsigned int cmds;		  /* bit per enum vgw_cmd */
	const char *arg;		  /* the value's name in --help */
	const char *help;
	size_t size;	   /* the field's (FSIZE_AS checks it against the type at build time) */
	const char *def;   /* vgw run's default, as given on the command line; NULL: none */
	bool restart_only; /* SIGHUP leaves it as it is: only a restart changes it */
};

#define CMD_BIT(c)   (1u << (c))
#define LOAD	     CMD_BIT(VGW_CMD_LOAD)
#define RUN	     CMD_BIT(VGW_CMD_RUN)
#define STATUS	     CMD_BIT(VGW_CMD_STATUS)
#define ALL	     (LOAD | CMD_BIT(VGW_CMD_UNLOAD) | STATUS | RUN)
#define F(field)     offsetof(struct vgw_cli, field)
#define FSIZE(field) sizeof(((struct vgw_cli *)0)->field)
/* The field's size, and a build error (a division by zero) unless the row's type stores a T */
#define FSIZE_AS(field, T) (FSIZE(field) / (FSIZE(field) == sizeof(T)))

extern const struct cli_opt cli_opts[];
extern const size_t cli_n_opts;
#define N_OPTS cli_n_opts

#endif
