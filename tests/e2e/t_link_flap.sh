#!/usr/bin/env bash
# Link flaps: the switch port of the forwarder, or of the AVG, goes down and
# comes back, once briefly (SHORT ms, below the hold time) and once for
# longer (LONG ms). Three routers at 100/300, three hosts pinging the server
# at 100/s through a vMAC of the AVG, the standby and the forwarder. While
# its link is down a router owns nothing (GLBP's Init state) and back up it
# rejoins by listening; frames to its vMACs are lost while the cable is out,
# but no host waits longer than the outage plus hold time plus two hellos,
# hosts on the other routers lose nothing, no reply comes twice, and the
# group is back to one AVG and a fair share each.
# e2e-params: forwarder avg
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'flows_kill; stop_all_daemons; lan_destroy' EXIT
WHO=${1:-forwarder}
HELLO=100
HOLD=300
SHORT=200
LONG=1500

lan_create 3 3
# no traffic-driven moves: the shares after each flap are then the count's (5 5 6)
start_three_routers --hello-ms "$HELLO" --hold-ms "$HOLD" --balance-min-pps 100000000
nx srv ip route replace 10.77.0.0/24 via "10.78.0.$((1 + STANDBY))" # its link stays up
pin_hosts_by_role
[ "$WHO" = avg ] && VICTIM=$AVG VHOST=1 || VICTIM=$FORWARDER VHOST=3
echo "roles: AVG r$AVG, standby r$STANDBY, forwarder r$FORWARDER; flapping the $WHO (r$VICTIM)"

moves() { # BEFORE AFTER: vMACs whose owner differs between two of the standby's tables
	diff <(echo "$1") <(echo "$2") | grep -c '^>'
}
for down in "$SHORT" "$LONG"; do
	table=$(owner_table "$STANDBY")
	flows $((down / 1000 + 4))
	sleep 1
	nx sw ip link set "r$VICTIM" down
	sleep "$(echo "$down" | awk '{ print $1 / 1000 }')"
	nx sw ip link set "r$VICTIM" up
	lan_wait_port_forwarding "r$VICTIM"
	flows_end "down ${down} ms"
	wait_for 10 "5 5 6 " owned_counts_sorted || fail "vMACs per router after the flap: '$(owned_counts_sorted)'"
	wait_true 5 one_avg || fail "not one AVG after the flap"
	echo "down ${down} ms: AVG now r$(for k in 1 2 3; do [ "$(router_status "$k" .role)" = avg ] && echo "$k"; done)," \
		"$(moves "$table" "$(owner_table "$STANDBY")") vMACs own another router than before"
	for i in 1 2 3; do
		expect_eq "${DUPS[$i]}" 0 "h$i's duplicate replies (down ${down} ms)"
		if [ "$i" = "$VHOST" ]; then
			expect_at_most "${GAP[$i]}" $((down + HOLD + 2 * HELLO + 50)) "h$i's longest gap in ms (down ${down} ms)"
		else
			expect_eq "${LOSS[$i]}" 0 "h$i's loss in percent (down ${down} ms)"
		fi
	done
done
[ "$E2E_FAILED" = 0 ] || for k in 1 2 3; do echo "--- r$k log"; daemon_log "$k" | grep -v ": vMAC "; done
exit $E2E_FAILED
