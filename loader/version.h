/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The release: `vgw --version`, the metrics' vgw_info and debian/changelog (make test compares). */
#ifndef VGW_VERSION_H
#define VGW_VERSION_H

#define VGW_VERSION "0.9.0"

#endif
