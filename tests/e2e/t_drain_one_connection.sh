#!/usr/bin/env bash
# A graceful stop with one connection through NAT, as a new user met it: two
# masquerading routers in skb mode, --drain-ms 8000, one host whose single TCP
# connection sends a line every 100 ms through r1's vMAC; r1 is stopped with
# SIGTERM. The first frame r2 hands back to r1 comes only after r2 took the
# vMAC: r1 must wait for it rather than conclude from its last poll (up to
# --poll-ms old) that nothing was handed to it, stop, and leave r2 handing the
# connection to a router gone (reset: 3 runs of 5 before the fix). Three
# stops, each of a fresh connection: r1 waits every time, and none is reset.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
trap lan_cleanup EXIT

lan_create 2 1
LAN_LOGDIR=$(mktemp -d)
lan_masquerade
ARGS=(--mode skb --hello-ms "$(slow_ms 100)" --hold-ms "$(slow_ms 300)" --vmacs 4 --drain-ms 8000)
start_daemon 2 --priority 100 "${ARGS[@]}"
ip netns exec "$(ns srv)" python3 "$TOOLS/tcp_keep.py" server 10.78.0.100 8080 "$LAN_LOGDIR/accepts" &
lan_bg $!

for trial in 1 2 3; do
	start_daemon 1 --priority 110 "${ARGS[@]}"
	wait_owned "2 2"
	v=$(router_status 1 '[.vmacs[] | select(.state == "owned") | .index][0]')
	nx h1 ip neigh replace "$VIP" lladdr "$(vmac_of "$v")" dev eth0 nud permanent
	out=$LAN_LOGDIR/c$trial
	for t in $(seq 1 50); do nx h1 python3 "$TOOLS/tcp_keep.py" once 10.78.0.100 8080 2>/dev/null && break; sleep 0.1; done
	ip netns exec "$(ns h1)" python3 "$TOOLS/tcp_keep.py" client 10.78.0.100 8080 1 100 "$out" &
	CLIENT_PID=$!
	lan_bg "$CLIENT_PID"
	opened() { grep -q '^open 1' "$out" 2>/dev/null; }
	wait_true 10 opened || fail "trial $trial: the connection never opened"
	lines=$(wc -l <"$LAN_LOGDIR/r1.log")
	kill -TERM "${DAEMON_PID[1]}"
	waiting() { tail -n +"$((lines + 1))" "$LAN_LOGDIR/r1.log" | grep -q "waiting up to"; }
	wait_true 10 waiting ||
		fail "trial $trial: r1 stopped without waiting for the connection handed to it: $(tail -n +"$((lines + 1))" "$LAN_LOGDIR/r1.log" | tail -4)"
	kill -0 "${DAEMON_PID[1]}" 2>/dev/null || fail "trial $trial: r1 is gone while it said it waits"
	kill -USR1 "$CLIENT_PID"
	wait "$CLIENT_PID"
	stop_daemon 1 # the drain ends with the connection
	expect_eq "$STOP_RC" 0 "trial $trial: r1's exit code"
	last=$(tail -1 "$out")
	echo "trial $trial: vMAC $v, $last"
	expect_match "$last" " reset 0 " "trial $trial: the connection was not reset"
	expect_match "$last" "closed 1" "trial $trial: the connection closed cleanly"
	r2_owns_all() { [ "$(owned_count 2)" = 4 ]; }
	wait_true 10 r2_owns_all || fail "trial $trial: r2 owns $(owned_count 2) vMACs after r1 left"
done
