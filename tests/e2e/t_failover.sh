#!/usr/bin/env bash
# Failover at the timers given as HELLO/HOLD (ms). A host pings the server
# through a vMAC of a forwarder; that forwarder's link goes down; the longest
# silence between two replies must stay within hold + one hello (and at most
# 50 ms at 10/30). Then the same for a vMAC of the AVG: the standby takes over,
# forwards its vMACs and answers new ARPs.
# e2e-params: 1000/3000 100/300 10/30
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT
failover_timers "${1:-100/300}"

lan_create 3 2
for k in 1 2 3; do start_daemon "$k" --priority $((100 + k)) --hello-ms "$HELLO" --hold-ms "$HOLD"; done
# without --preempt the first router done listening keeps the AVG role, so find the roles
group_roles || fail "no AVG, standby and forwarder"
wait_for 10 "5 5 6 " owned_counts_sorted || fail "vMACs per router: got '$(owned_counts_sorted)', want '5 5 6 '"
# replies return through the standby, who survives both failures
nx srv ip route replace 10.77.0.0/24 via "10.78.0.$((1 + STANDBY))"

# measure_gap I K: ping from host I while router K's link goes down; prints the longest gap
measure_gap() {
	local i=$1 k=$2 secs out
	secs=$(awk -v h="$HOLD" 'BEGIN { print int(h / 1000 * 2 + 3) }')
	out=$(mktemp)
	nx "h$i" ping -D -i "$INTERVAL" -w "$secs" 10.78.0.100 >"$out" 2>&1 &
	local pid=$!
	sleep 1
	rx "r$k" ip link set lan0 down
	wait "$pid"
	GAP=$(max_reply_gap_ms <"$out")
	LAST_OK=$(tail -n 5 "$out" | grep -c "bytes from")
	LOSS=$(ping_file_loss "$out")%
	rm -f "$out"
}

# 1. the forwarder fails
v=$(pin_host 1 "$FORWARDER")
measure_gap 1 "$FORWARDER"
echo "forwarder failover at $TIMERS: longest gap ${GAP} ms, loss $LOSS (vMAC $v)"
[ "$GAP" -le $((LIMIT + SLACK)) ] || fail "forwarder failover gap ${GAP} ms > ${LIMIT} ms (+${SLACK} ms sampling)"
[ "$LAST_OK" -ge 1 ] || fail "no replies after the forwarder failed"
expect_ne "$(router_status "$STANDBY" ".vmacs[$((v - 1))].owner")" "$(router_ip "$FORWARDER")" \
	"owner of vMAC $v after its forwarder failed"

# 2. the AVG fails: the standby takes over
v=$(pin_host 2 "$AVG")
measure_gap 2 "$AVG"
echo "AVG failover at $TIMERS: longest gap ${GAP} ms, loss $LOSS (vMAC $v)"
[ "$GAP" -le $((LIMIT + SLACK)) ] || fail "AVG failover gap ${GAP} ms > ${LIMIT} ms (+${SLACK} ms sampling)"
[ "$LAST_OK" -ge 1 ] || fail "no replies after the AVG failed"
expect_eq "$(router_status "$STANDBY" .role)" avg "the standby's role after the AVG failed"
expect_eq "$(router_status "$STANDBY" '[.vmacs[] | select(.state == "owned")] | length')" 16 \
	"vMACs the last router owns"
nx h1 ip neigh del "$VIP" dev eth0
nx h1 ping -c 2 -W 1 -q 10.78.0.100 >/dev/null || fail "a new ARP after the AVG failed went unanswered"
[ "$E2E_FAILED" = 0 ] || for k in 1 2 3; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC"; done
exit $E2E_FAILED
