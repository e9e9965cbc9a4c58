#!/usr/bin/env bash
# SIGTERM is planned maintenance: a host flooding pings through a vMAC of the
# router being stopped loses none, first for a forwarder, then for the AVG
# (the standby takes over the role at once). Each stopped router's interface
# is left as it was. With arp-flood, 10,000 new hosts ask for the vIP while
# each router stops (vgw-arp-flood from h3, the neighbour table full).
# e2e-params: pings arp-flood
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; routers_neigh_flush; lan_destroy' EXIT
FLOOD=${1:-pings}

lan_create 3 3
for k in 1 2 3; do rx "r$k" ip route add 10.200.0.0/16 dev lan0; done
declare -A before
for k in 1 2 3; do before[$k]=$(iface_snapshot "$k"); done
for k in 1 2 3; do start_daemon "$k" --priority $((100 + k)) --hello-ms 100 --hold-ms 300; done
group_roles || fail "no AVG, standby and forwarder"
wait_for 10 "5 5 6 " owned_counts_sorted || fail "vMACs per router: got '$(owned_counts_sorted)', want '5 5 6 '"
nx srv ip route replace 10.77.0.0/24 via "10.78.0.$((1 + STANDBY))"

# flood_while_stopping I K: 1000 pings/s from host I for 4 s; router K stops after 1 s
flood_while_stopping() {
	local i=$1 k=$2 out
	out=$(mktemp)
	nx "h$i" ping -q -i 0.001 -c 4000 -W 1 10.78.0.100 >"$out" 2>&1 &
	local pid=$! arp=
	sleep 1
	if [ "$FLOOD" = arp-flood ]; then
		nx h3 "$(dirname "$VGW")/vgw-arp-flood" eth0 "$VIP" 10.200.0.1 10000 2 &
		arp=$!
	fi
	stop_daemon "$k"
	wait "$pid"
	[ -z "$arp" ] || wait "$arp" || fail "the ARP flood tool failed"
	routers_neigh_flush
	SENT=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$out")
	GOT=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$out")
	rm -f "$out"
}

v=$(pin_host 1 "$FORWARDER")
flood_while_stopping 1 "$FORWARDER"
echo "forwarder stopped: $SENT sent, $GOT received (vMAC $v)"
expect_eq "$STOP_RC" 0 "the forwarder's exit code"
expect_eq "$GOT" "$SENT" "replies while the forwarder stopped"
expect_same_snapshot "${before[$FORWARDER]}" "$(iface_snapshot "$FORWARDER")" "the forwarder after it stopped"

v=$(pin_host 2 "$AVG")
flood_while_stopping 2 "$AVG"
echo "AVG stopped: $SENT sent, $GOT received (vMAC $v)"
expect_eq "$STOP_RC" 0 "the AVG's exit code"
expect_eq "$GOT" "$SENT" "replies while the AVG stopped"
expect_same_snapshot "${before[$AVG]}" "$(iface_snapshot "$AVG")" "the AVG after it stopped"
expect_eq "$(router_status "$STANDBY" .role)" avg "the standby's role"
nx h1 ip neigh del "$VIP" dev eth0
nx h1 ping -c 2 -W 1 -q 10.78.0.100 >/dev/null || fail "a new ARP after the AVG stopped went unanswered"
[ "$E2E_FAILED" = 0 ] || for k in 1 2 3; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC"; done
exit $E2E_FAILED
