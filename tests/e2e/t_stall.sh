#!/usr/bin/env bash
# A daemon stopped for longer than the hold time (SIGSTOP for 1 s: a paused
# VM, a starved process), first the AVG's. Its data plane fails safe a hold
# time after its last beat, while the group takes over; on SIGCONT it logs
# the stall once and rejoins by listening instead of taking itself for the
# last router standing. No reply comes twice, the stopped router's hosts
# wait at most hold + hello (+100 ms), the others lose nothing, and the
# group ends with one AVG and a fair share each.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'for k in "${!DAEMON_PID[@]}"; do kill -CONT "${DAEMON_PID[$k]}" 2>/dev/null; done
	flows_kill; stop_all_daemons; lan_destroy' EXIT
HELLO=100
HOLD=300

lan_create 3 3
start_three_routers --hello-ms "$HELLO" --hold-ms "$HOLD" --balance-min-pps 100000000
nx srv ip route replace 10.77.0.0/24 via "10.78.0.$((1 + STANDBY))"
pin_hosts_by_role
echo "roles: AVG r$AVG, standby r$STANDBY, forwarder r$FORWARDER; stopping the AVG's daemon for 1 s"
flows 5
sleep 1
kill -STOP "${DAEMON_PID[$AVG]}"
gone() { [ "$(router_status "$AVG" .daemon.failed_safe)" = true ]; }
wait_true 5 gone || fail "r$AVG's data plane did not fail safe while its daemon was stopped"
sleep 0.5
kill -CONT "${DAEMON_PID[$AVG]}"
flows_end "stopped 1 s"
wait_true 5 one_avg || fail "not one AVG after the stall"
wait_for 10 "5 5 6 " owned_counts_sorted || fail "vMACs per router after the stall: '$(owned_counts_sorted)'"
expect_eq "$(daemon_log "$AVG" | grep -c 'more than the hold time: rejoining the group')" 1 "r$AVG's stall lines"
for i in 1 2 3; do
	expect_eq "${DUPS[$i]}" 0 "h$i's duplicate replies"
	if [ "$i" = 1 ]; then
		expect_at_most "${GAP[$i]}" $((HOLD + HELLO + 100)) "h1's longest gap in ms"
	else
		expect_eq "${LOSS[$i]}" 0 "h$i's loss in percent"
	fi
done
[ "$E2E_FAILED" = 0 ] || for k in 1 2 3; do echo "--- r$k log"; daemon_log "$k" | grep -v ": vMAC "; done
exit $E2E_FAILED
