// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * vgw-notify-listen: stands in for systemd's notify socket. Binds a unix
 * datagram socket at PATH and prints each message it gets (one line, the
 * newlines within turned into spaces, prefixed with the ms since start),
 * until SECONDS have passed or a message contains STOPPING=1.
 *   vgw-notify-listen PATH SECONDS
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	long start = now_ms(), end;
	char buf[4096];
	int fd;

	if (argc != 3 || strlen(argv[1]) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: vgw-notify-listen PATH SECONDS\n");
		return 2;
	}
	end = start + atol(argv[2]) * 1000;
	strcpy(addr.sun_path, argv[1]);
	unlink(argv[1]);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("vgw-notify-listen");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (now_ms() < end) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;
		char *c;

		if (poll(&p, 1, (int)(end - now_ms())) <= 0)
			continue;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (c = buf; *c; c++)
			if (*c == '\n')
				*c = ' ';
		printf("%ld %s\n", now_ms() - start, buf);
		if (strstr(buf, "STOPPING=1"))
			break;
	}
	unlink(argv[1]);
	return 0;
}
