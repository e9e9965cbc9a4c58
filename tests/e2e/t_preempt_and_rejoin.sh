#!/usr/bin/env bash
# Preemption: a better router without --preempt joins and the AVG stays;
# SIGHUP re-reads its config file with preempt on, and it takes the role
# after the delay. Rejoin: a router whose link went down and came back gets a
# fair share again, and only the vMACs it takes move. Tracking: a tracked
# interface going down lowers the weight below the threshold, and the router
# gives its vMACs away until it is back. Through all these moves and the
# announces that go with them, the hosts' ARP entries for the vIP never change.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
CONF=$(mktemp)
trap 'stop_all_daemons; lan_destroy; rm -f "$CONF"' EXIT

owned_at_least() { [ "$(owned_count "$1")" -ge "$2" ]; }

lan_create 3 2
# r2 first: without preempt, the first router done listening keeps the AVG role
start_daemon 2 --priority 150 --hello-ms 100 --hold-ms 300
wait_for 10 avg router_status 2 .role || fail "r2 never became the AVG"
start_daemon 1 --priority 100 --hello-ms 100 --hold-ms 300 --track up0 --track-decrement 60 --weight-lower 50
wait_for 10 "8 8" eval 'echo "$(owned_count 1) $(owned_count 2)"' || fail "r1 and r2 never shared the vMACs 8/8"
nx srv ip route replace 10.77.0.0/24 via 10.78.0.3 # r2 stays up throughout
for i in 1 2; do nx "h$i" ping -c 1 -W 1 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server"; done
arp_before="$(host_vip_mac 1) $(host_vip_mac 2)"
printf 'priority 200\nhello-ms 100\nhold-ms 300\n' >"$CONF"
start_daemon 3 -c "$CONF"
# standby means r3 is done listening and has chosen its role: without preempt it stays there
wait_for 10 standby router_status 3 .role || fail "r3 never became the standby"
expect_eq "$(router_status 2 .role)" avg "r2's role after a better r3 joined without preempt"
printf 'priority 200\nhello-ms 100\nhold-ms 300\npreempt\npreempt-delay-ms 800\n' >"$CONF"
hup_at=$(now_ms)
kill -HUP "${DAEMON_PID[3]}"
wait_for 10 avg router_status 3 .role || fail "r3 never preempted"
expect_ge $(($(now_ms) - hup_at)) 800 "ms from SIGHUP to r3 as AVG (preempt delay 800)"
wait_for 3 standby router_status 2 .role || fail "r2 did not step down to standby"
wait_for 5 "5 5 6 " owned_counts_sorted ||
	fail "vMACs per router after preemption: got '$(owned_counts_sorted)', want '5 5 6 '"
restart_told() { daemon_log 3 | grep -c "change on restart only"; }
expect_eq "$(restart_told)" 0 "restart-only warnings after a reload that changed preempt only"
# a restart-only key changed: told once, and the running value kept
printf 'priority 200\nhello-ms 100\nhold-ms 300\npreempt\npreempt-delay-ms 800\nvmacs 8\n' >"$CONF"
kill -HUP "${DAEMON_PID[3]}"
reloads() { daemon_log 3 | grep -c "config reloaded"; }
wait_for 5 2 reloads || fail "r3 did not reload a second time"
expect_eq "$(restart_told)" 1 "restart-only warnings after a reload that changed vmacs"
# had r3 taken vmacs 8, its hellos would say so and its peers would log the mismatch
rx=$(router_status 1 .hellos.received)
heard_more() { [ "$(router_status 1 .hellos.received)" -ge $((rx + 6)) ]; } # r2's and r3's, 100 ms apart
wait_true 3 heard_more || fail "r1 heard no hellos after r3's reload"
expect_eq "$(daemon_log 1 | grep -c "has other settings")" 0 "r1's mismatch lines after r3 reloaded vmacs 8"

# rejoin
rx r1 ip link set lan0 down
wait_for 5 88 eval 'echo "$(owned_count 2)$(owned_count 3)"' || fail "r2 and r3 did not take r1's vMACs (8 and 8)"
away=$(owner_table 3)
rx r1 ip link set lan0 up
lan_wait_port_forwarding r1
wait_true 10 owned_at_least 1 5 || fail "r1 got back $(owned_count 1) vMACs, want >= 5"
moved=$(diff <(echo "$away") <(owner_table 3) | grep -c '^>')
expect_eq "$moved" "$(owned_count 1)" "vMACs that moved when r1 came back (only r1's new ones)"

# tracking: up0 down costs 60 of r1's weight 100, below its lower threshold 50
rx r1 ip link set up0 down
wait_for 5 0 owned_count 1 || fail "r1 still owns $(owned_count 1) vMACs with its tracked interface down"
expect_eq "$(router_status 1 '.routers[0].weight')" 40 "r1's weight with up0 down"
rx r1 ip link set up0 up
wait_true 5 owned_at_least 1 5 || fail "r1 owns $(owned_count 1) vMACs with up0 back, want >= 5"
expect_eq "$(host_vip_mac 1) $(host_vip_mac 2)" "$arp_before" "the hosts' ARP entries for the vIP after all the moves"
for i in 1 2; do nx "h$i" ping -c 1 -W 1 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server at the end"; done
[ "$E2E_FAILED" = 0 ] || for k in 1 2 3; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC"; done
exit $E2E_FAILED
