#!/usr/bin/env bash
# Three vgw run routers on one bridge: one AVG (highest priority), one
# standby (next), vMACs spread 6/5/5 and every router agrees who owns what;
# hosts ARP through their own kernels and reach the server. SIGTERM stops
# each daemon and leaves its interface as it was. The routers preempt with
# no delay: on a busy machine they start far enough apart that the first one
# done listening would otherwise keep the AVG role.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT

lan_create 3 3
declare -A before
for k in 1 2 3; do before[$k]=$(iface_snapshot "$k"); done
for k in 1 2 3; do
	start_daemon "$k" --priority $((100 + k)) --hello-ms "$(slow_ms 100)" --hold-ms "$(slow_ms 300)" --preempt --preempt-delay-ms 0
done

wait_for 10 avg router_status 3 .role || fail "r3 never became the AVG"
wait_for 5 standby router_status 2 .role || fail "r2 never became the standby"
# r1 learns that r2 is the standby from r2's next hello: a moment later on a slow machine
wait_for 5 listen router_status 1 .role || fail "r1's role: $(router_status 1 .role), want listen"
live_routers() { router_status "$1" '[.routers[] | select(.live)] | length'; }
for k in 1 2 3; do
	wait_for 5 3 live_routers "$k" || fail "r$k does not see 3 live routers"
	wait_for 5 10.77.0.4 router_status "$k" .avg || fail "the AVG as r$k sees it: $(router_status "$k" .avg)"
done
wait_for 5 "5 5 6 " owned_counts_sorted || fail "vMACs owned per router: got '$(owned_counts_sorted)', want '5 5 6 '"
# every vMAC owned by one router, and every router's table naming that owner (their
# tables follow the AVG's hellos: on a slow machine a moment after the counts agree).
# One status per router: "router index state owner" lines, and what is wrong in them.
ownership_problems() {
	local k
	for k in 1 2 3; do router_status "$k" '.vmacs[] | "\(.index) \(.state) \(.owner)"' | sed "s/^/$k /"; done |
		awk '{ idx[$2] = 1 } $3 == "owned" { owned[$2]++ }
			!(($2, $4) in seen) { seen[$2, $4] = 1; owners[$2]++ }
			END { for (v = 1; v <= 16; v++) {
				if (!(v in idx)) print "vMAC " v ": in no table"
				else if (owned[v] != 1) print "vMAC " v ": owned by " owned[v] + 0 " routers"
				else if (owners[v] != 1) print "vMAC " v ": " owners[v] " different owners in the tables" } }'
}
all_agree() { [ -z "$(ownership_problems)" ]; }
wait_true 5 all_agree
expect_eq "$(ownership_problems)" "" "vMACs each owned by one router, every table naming it"

for i in 1 2 3; do
	nx "h$i" ping -c 2 -W 1 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server"
	expect_match "$(host_vip_mac "$i")" '^02:76:67:00:1' "h$i's ARP entry is a vMAC"
done
expect_eq "$(router_status 3 .arp.replies_avg)" 3 "ARP answers from the AVG"

for k in 1 2 3; do
	stop_daemon "$k"
	expect_eq "$STOP_RC" 0 "r$k's exit code after SIGTERM"
	expect_same_snapshot "${before[$k]}" "$(iface_snapshot "$k")" "r$k after vgw run stopped"
done
[ "$E2E_FAILED" = 0 ] || for k in 1 2 3; do echo "--- r$k log"; daemon_log "$k"; done
exit $E2E_FAILED
