#!/usr/bin/env bash
# vgw unload and a running daemon: unload is refused while vgw run manages
# the interface (one line naming its pid), and the interface stays as it is.
# So is a second vgw run (an flock on the pins tells a live daemon from a
# dead one). A daemon whose XDP program is removed under it says so once,
# leaves the group gracefully (the other router forwards every vMAC) and
# exits 1. A dead daemon's data plane is taken over only with the same
# settings and map layout: another pool size is one error line naming both
# values, and so is a map another vgw version made.
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

# a second vgw run on the same interface is refused, and the first runs on
err=$(rx r1 "$VGW" run --iface lan0 --group 1 --vip "$VIP" --hello-ms 100 --hold-ms 300 2>&1)
rc=$?
expect_eq "$rc" 1 "a second vgw run's exit code"
expect_eq "$err" "vgw: error: vgw run (pid ${DAEMON_PID[1]}) already manages lan0: two would fight over it" \
	"a second vgw run's error line"
expect_same_snapshot "$loaded" "$(iface_snapshot 1)" "r1 after the refused second daemon"
kill -0 "${DAEMON_PID[1]}" || fail "the first daemon died"

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

# a dead daemon's data plane and a restart with other settings
start_daemon 1 --priority 100 --hello-ms 100 --hold-ms 300 --poll-ms 200
wait_owned "8 8"
kill -KILL "${DAEMON_PID[1]}"
wait "${DAEMON_PID[1]}" 2>/dev/null
unset "DAEMON_PID[1]"
dead=$(iface_snapshot 1)
err=$(rx r1 "$VGW" run --iface lan0 --group 1 --vip "$VIP" --vmacs 8 2>&1)
expect_eq "$?" 1 "the exit code of a restart with other settings"
expect_eq "$err" "vgw: error: the data plane a dead vgw run left on lan0 has vmacs 16, the config says 8: run 'vgw unload --iface lan0' to start over" \
	"the error line of a restart with other settings"
expect_same_snapshot "$dead" "$(iface_snapshot 1)" "r1 after the refused restart"
# ... and one another vgw version left (here: a map whose values are of another size)
pin=/sys/fs/bpf/vgw/lan0/hello_counters
# (bpffs renames no pin: the map is replaced, then put back as this vgw makes it)
rx r1 sh -c "rm $pin && bpftool map create $pin type array key 4 value 8 entries 1 name hello_counters" ||
	fail "could not replace the hello_counters pin"
err=$(rx r1 timeout 20 "$VGW" run --iface lan0 --group 1 --vip "$VIP" 2>&1)
expect_eq "$?" 1 "the exit code of a restart over another version's data plane"
expect_eq "$err" "vgw: error: the data plane a dead vgw run left on lan0 is another vgw version's (hello_counters: 8-byte values, this vgw's are $((14 * 8))): run 'vgw unload --iface lan0' to start over" \
	"the error line of a restart over another version's data plane"
expect_same_snapshot "$dead" "$(iface_snapshot 1)" "r1 after the refused restart over another version's"
rx r1 sh -c "rm $pin && bpftool map create $pin type array key 4 value $((14 * 8)) entries 1 name hello_counters"
rx r1 "$VGW" unload --iface lan0 >/dev/null || fail "unload of a dead daemon's data plane"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "r1 after unloading the dead daemon's data plane"
[ "$E2E_FAILED" = 0 ] || for k in 1 2; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC"; done
exit $E2E_FAILED
