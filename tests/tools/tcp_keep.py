#!/usr/bin/env python3
"""Long TCP connections through the gateway, for the connection-handoff e2e.

  tcp_keep.py server ADDR PORT LOG     echo server; one line "accept IP" per
                                       connection in LOG
  tcp_keep.py client ADDR PORT N MS OUT [renew]
                                       N connections, each sending 64 bytes every
                                       MS ms and reading the echo; "open O reset R
                                       failed F renewed N" in OUT after every
                                       round. renew: a connection reset is
                                       replaced by a new one (connecting without
                                       holding up the others; one that does not
                                       connect within 5 s counts as failed), so N
                                       stay open through a long run. SIGUSR1:
                                       close them all (FIN, then the server's),
                                       write the last line with "closed C", exit.
  tcp_keep.py once ADDR PORT           one connection, one echo: exit 0 if it worked

A connection counts as reset when the kernel says so (ECONNRESET, EPIPE) or
the server's end closes or stops echoing for 5 s while the client still
talks: either is what a gateway that lost the connection's state does.
"""
import errno
import os
import select
import selectors
import signal
import socket
import sys
import time

STALL_S = 5.0


def server(addr, port, log):
    sel = selectors.DefaultSelector()
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1024)
    ls.setblocking(False)
    sel.register(ls, selectors.EVENT_READ)
    out = open(log, "a", buffering=1)
    while True:
        for key, _ in sel.select():
            s = key.fileobj
            if s is ls:
                c, peer = ls.accept()
                c.setblocking(False)
                sel.register(c, selectors.EVENT_READ)
                out.write("accept %s\n" % peer[0])
                continue
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if data:
                try:
                    s.sendall(data)
                    continue
                except OSError:
                    pass
            sel.unregister(s)
            s.close()


class Conn:
    def __init__(self, addr, port, s=None):
        self.s = s or socket.create_connection((addr, port), timeout=5)
        self.s.setblocking(False)
        self.pending = 0  # bytes sent and not echoed yet
        self.since = None  # when the oldest of them went out
        self.dead = False


def client(addr, port, n, ms, out_path, renew=False):
    stop = []
    signal.signal(signal.SIGUSR1, lambda *_: stop.append(1))
    conns, failed = [], 0
    for _ in range(n):
        try:
            conns.append(Conn(addr, port))
        except OSError:
            failed += 1
    reset = renewed = 0
    connecting = []  # (socket, since): renewals under way

    def report(extra=""):
        with open(out_path + ".tmp", "w") as f:
            f.write("open %d reset %d failed %d renewed %d%s\n" % (
                sum(not c.dead for c in conns), reset, failed, renewed, extra))
        os.replace(out_path + ".tmp", out_path)

    def renewals(now):
        nonlocal failed, renewed
        for s, since in list(connecting):
            _, w, _ = select.select([], [s], [], 0)
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) if w else 0
            if w and not err:
                connecting.remove((s, since))
                conns.append(Conn(addr, port, s))
                renewed += 1
            elif err or now - since > STALL_S:
                connecting.remove((s, since))
                s.close()
                failed += 1
        for _ in range(n - sum(not c.dead for c in conns) - len(connecting)):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            err = s.connect_ex((addr, port))
            if err not in (0, errno.EINPROGRESS):
                s.close()
                failed += 1
                continue
            connecting.append((s, now))

    def kill(c):
        nonlocal reset
        if not c.dead:
            c.dead = True
            reset += 1

    while not stop:
        now = time.monotonic()
        if renew:
            conns = [c for c in conns if not c.dead]
            renewals(now)
        for c in conns:
            if c.dead:
                continue
            try:
                while True:
                    d = c.s.recv(65536)
                    if not d:
                        kill(c)  # the far end closed: the connection is gone
                        break
                    c.pending -= len(d)
                    if c.pending <= 0:
                        c.pending, c.since = 0, None
            except BlockingIOError:
                pass
            except OSError:
                kill(c)
                continue
            if c.dead:
                continue
            if c.since is not None and now - c.since > STALL_S:
                kill(c)
                continue
            try:
                c.s.send(b"x" * 64)
                c.pending += 64
                if c.since is None:
                    c.since = now
            except BlockingIOError:
                pass
            except OSError:
                kill(c)
        report()
        time.sleep(ms / 1000.0)
    for s, _ in connecting:
        s.close()
    # graceful: FIN from here, wait for the server's (and no RST)
    closed = 0
    deadline = time.monotonic() + STALL_S
    live = [c for c in conns if not c.dead]
    for c in live:
        try:
            c.s.shutdown(socket.SHUT_WR)
        except OSError:
            kill(c)
    for c in live:
        if c.dead:
            continue
        c.s.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            while c.s.recv(65536):
                pass
            closed += 1
        except OSError:
            kill(c)
        c.s.close()
    report(" closed %d" % closed)


def once(addr, port):
    s = socket.create_connection((addr, port), timeout=3)
    s.sendall(b"hello")
    got = b""
    while len(got) < 5:
        d = s.recv(16)
        if not d:
            return 1
        got += d
    s.close()
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "server":
        server(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif cmd == "client":
        client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]),
               sys.argv[6], sys.argv[7:] == ["renew"])
    elif cmd == "once":
        sys.exit(once(sys.argv[2], int(sys.argv[3])))
    else:
        sys.exit("usage: see the top of tcp_keep.py")
