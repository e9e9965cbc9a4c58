/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
#ifndef VGW_LOADLOG_H
#define VGW_LOADLOG_H

struct bpf_object;

/* Before loading obj: a buffer for its verifier log (NULL if none could be had). */
char *vgw_load_log_attach(struct bpf_object *obj);
/*
 * After a failed load of obj (err): the program, this kernel's release and the
 * log's last lines, as error lines; frees buf. VGW_ERR_REPORTED then, or err
 * itself when there was no log to report.
 */
int vgw_load_log_report(struct bpf_object *obj, char *buf, int err);

#endif
