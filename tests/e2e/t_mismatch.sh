#!/usr/bin/env bash
# Loud mismatches: a router with another pool size, then one with another
# vIP, joins two that agree. It has the best priority and preempts, yet it
# never becomes the AVG and is handed no vMAC; every router logs the
# difference once, naming the field and both values; hosts' ARP is answered
# by the group's AVG only, and they reach the server.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT
T=(--hello-ms 100 --hold-ms 300)

lan_create 3 2
start_daemon 2 --priority 110 --vmacs 8 "${T[@]}"
wait_for 10 avg router_status 2 .role || fail "r2 never became the AVG"
start_daemon 1 --priority 100 --vmacs 8 "${T[@]}"
start_daemon 3 --priority 250 --preempt --preempt-delay-ms 0 --vmacs 6 "${T[@]}"
r3_mismatch() { router_status 2 '.routers[] | select(.id == "10.77.0.4") | .mismatch | join(",")'; }
wait_for 10 vmacs r3_mismatch || fail "r2 does not show r3's pool size as a mismatch"
wait_owned "4 4 0"
roles_ok() { [ "$(router_status 2 .role)" = avg ] && [ "$(router_status 3 .role)" != avg ]; }
wait_true 5 roles_ok || fail "roles: r2 $(router_status 2 .role), r3 $(router_status 3 .role)"
expect_eq "$(router_status 3 '.routers[0].outvoted')" true "r3 knows it stands aside"
expect_eq "$(daemon_log 2 | grep -c "router 10.77.0.4 has other settings: vmacs 6 (here 8); it is not part of this group")" 1 \
	"r2's log lines about r3's pool"
expect_eq "$(daemon_log 3 | grep -c "error: the group runs with another vip or vmacs than this router")" 1 \
	"r3's log lines about standing aside"
for i in 1 2; do
	nx "h$i" ping -c 1 -W 1 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server"
done
stop_daemon 3

# another vIP
VIP=10.77.0.9 start_daemon 3 --priority 250 --preempt --preempt-delay-ms 0 --vmacs 8 "${T[@]}"
r3_vip() { router_status 1 '.routers[] | select(.id == "10.77.0.4") | .mismatch | join(",")'; }
wait_for 10 vip r3_vip || fail "r1 does not show r3's vIP as a mismatch"
for i in 1 2; do nx "h$i" ip neigh flush dev eth0; done
for i in 1 2; do
	nx "h$i" ping -c 1 -W 1 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server with r3 there"
	expect_match "$(host_vip_mac "$i")" '^02:76:67:00:10:0[1-8]$' "h$i's vMAC for the vIP"
done
expect_eq "$(router_status 3 .role)" listen "r3's role with another vIP"
expect_eq "$(router_status 3 .arp.replies_avg)" 0 "ARP answers from r3"
expect_eq "$(owned_count 3)" 0 "vMACs r3 owns"
[ "$E2E_FAILED" = 0 ] || for k in 1 2 3; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC"; done
exit $E2E_FAILED
