#!/usr/bin/env bash
# make install into a scratch prefix: the binary, the systemd template unit,
# the example config and the man pages land where they should; systemd-analyze verify
# accepts the unit. The installed vgw run, started the way the unit starts it
# (-c with the example config, the group's values as flags), tells systemd's
# notify socket READY=1 only once its data plane is attached and its first
# hello is out, and STOPPING=1 when SIGTERM starts the graceful stop. The
# unit's ExecReload reloads the config, with no kill binary on the PATH.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PREFIX=$(mktemp -d)
trap 'stop_all_daemons; lan_destroy; rm -rf "$PREFIX"' EXIT
LISTEN=$(dirname "$VGW")/vgw-notify-listen

make -s -C "$ROOT" install PREFIX="$PREFIX" DESTDIR= >/dev/null || fail "make install"
expect_eq "$(cd "$PREFIX" && find . -type f | sort | tr '\n' ' ')" \
	"./lib/systemd/system/vgw@.service ./sbin/vgw ./share/doc/vgw/examples/vgw.conf ./share/man/man5/vgw.conf.5 ./share/man/man8/vgw.8 " \
	"files installed"
expect_eq "$(grep -c '^\\fB--hold-ms\\fR' "$PREFIX/share/man/man8/vgw.8")" 1 "vgw(8)'s entry for --hold-ms (roff)"
expect_eq "$(grep '^ExecStart=' "$PREFIX/lib/systemd/system/vgw@.service")" \
	"ExecStart=$PREFIX/sbin/vgw run --iface %i -c /etc/vgw/%i.conf" "the unit's ExecStart"
out=$(systemd-analyze verify "$PREFIX/lib/systemd/system/vgw@.service" 2>&1)
expect_eq "$?:$out" "0:" "systemd-analyze verify"

lan_create 2 0
sock=$PREFIX/notify
"$LISTEN" "$sock" 20 >"$PREFIX/notified" &
listener=$!
t=0; while [ ! -S "$sock" ] && [ $t -lt 50 ]; do sleep 0.1; t=$((t + 1)); done
VGW=$PREFIX/sbin/vgw NOTIFY_SOCKET=$sock start_daemon 1 -c "$PREFIX/share/doc/vgw/examples/vgw.conf" \
	--hello-ms 100 --hold-ms 300
ready() { grep -q READY=1 "$PREFIX/notified"; }
wait_true 10 ready || fail "no READY=1 from vgw run: $(daemon_log 1 | tail -2)"
# by then the data plane is attached and a hello went out
expect_ge "$(router_status 1 .hellos.sent)" 1 "hellos sent when READY came"
expect_match "$(grep READY=1 "$PREFIX/notified")" "STATUS=in group 1 on lan0" "the READY message"
# the unit's ExecReload, run as systemd runs it (MAINPID in its environment; no /bin/kill needed)
reload=$(sed -n 's/^ExecReload=//p' "$PREFIX/lib/systemd/system/vgw@.service")
expect_match "$reload" "^/bin/sh -c " "ExecReload runs the shell (essential), not /bin/kill (procps: not in minbase)"
MAINPID=${DAEMON_PID[1]} PATH=/nonexistent eval "$reload"
expect_eq "$?" 0 "the unit's ExecReload ($reload)"
reloaded() { daemon_log 1 | grep -q 'config reloaded'; }
wait_true 5 reloaded || fail "no reload after the unit's ExecReload: $(daemon_log 1 | tail -2)"
stop_daemon 1
expect_eq "$STOP_RC" 0 "vgw run's exit code after SIGTERM"
wait "$listener"
expect_eq "$(grep -c 'STOPPING=1' "$PREFIX/notified")" 1 "STOPPING=1 messages"
sed 's/^/notify: /' "$PREFIX/notified"
exit $E2E_FAILED
