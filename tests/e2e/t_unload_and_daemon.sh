#!/usr/bin/env bash
# vgw unload and a running daemon: unload is refused while vgw run manages
# the interface (one line naming its pid), and the interface stays as it is.
# A daemon whose XDP program is removed under it says so once, leaves the
# group gracefully (the other router forwards every vMAC) and exits 1.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT

lan_create 2 1
before=$(iface_snapshot 1)
start_daemon 2 --priority 200 --hello-ms 100 --hold-ms 300 --poll-ms 200
wait_for 10 avg router_status 2 .role || fail "r2 never became the AVG"
start_daemon 1 --priority 100 --hello-ms 100 --hold-ms 300 --poll-ms 200
wait_owned "8 8"

loaded=$(iface_snapshot 1)
err=$(rx r1 "$VGW" unload --iface lan0 2>&1 >/dev/null)
rc=$?
expect_eq "$rc" 1 "vgw unload's exit code under a running daemon"
expect_eq "$err" "vgw: error: vgw run (pid ${DAEMON_PID[1]}) manages lan0: stop it instead (kill -TERM ${DAEMON_PID[1]}), it leaves the group gracefully and unloads" \
	"vgw unload's error line"
expect_same_snapshot "$loaded" "$(iface_snapshot 1)" "r1 after the refused unload"
expect_eq "$(owned_count 1)" 8 "vMACs r1 still forwards"

# the data plane pulled from under r1's daemon
rx r1 ip link set dev lan0 xdp off 2>/dev/null
rx r1 ip link set dev lan0 xdpgeneric off 2>/dev/null
pid=${DAEMON_PID[1]}
gone() { ! kill -0 "$pid" 2>/dev/null; }
wait_true 10 gone || fail "r1's daemon still runs without its XDP program"
wait "$pid" 2>/dev/null
rc=$?
unset "DAEMON_PID[1]"
expect_eq "$rc" 1 "r1's exit code"
expect_eq "$(daemon_log 1 | grep -c "XDP program or maps were removed or replaced under vgw run; leaving the group")" 1 \
	"r1's log lines about it"
wait_for 5 16 owned_count 2 || fail "r2 forwards $(owned_count 2) vMACs after r1 left, want 16"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "r1 after its daemon exited"
[ "$E2E_FAILED" = 0 ] || for k in 1 2; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC"; done
exit $E2E_FAILED
