#!/usr/bin/env bash
# Moves that break no connection, through NAT. Each router masquerades to the
# upstream with its own address; ten hosts keep 100 TCP connections (ten each)
# to the server open while vMACs move three ways: a balance move, a weight
# change (r1 down to weight 1: it gives all its vMACs away) and a graceful stop
# of r1, which waits for the connections handed back to it. With "on" (the
# default --handoff-ms) no connection is reset, and new ones after each move
# go through the new owner (the server sees its address); with "off"
# (--handoff-ms 0) the moved hosts' connections are reset, which is what the
# handoff prevents; "skb" is "on" in skb mode. In native mode a veth hands
# frames on (XDP_TX) only once its peer takes XDP frames: until an XDP
# program is on the switch's side, vgw says so and hands nothing off. XDP_TX
# sends a frame's bytes as they are, so the hosts here compute their own
# checksums, as a NIC would put them on the wire (a veth leaves them to
# offload, which only the kernel's own path completes).
# e2e-params: on off skb
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
HANDOFF=${1:-on}
TOOLS=$(cd "$(dirname "$0")/../tools" && pwd)
declare -A CLIENT_PID
trap lan_cleanup EXIT

lan_create 2 10
LAN_LOGDIR=$(mktemp -d)
lan_masquerade
ARGS=(--hello-ms "$(slow_ms 100)" --hold-ms "$(slow_ms 300)" --vmacs 10 --poll-ms 500 --smoothing-ms 500
	--balance-hold-ms 2000 --move-cooldown-ms 60000 --drain-ms 20000)
[ "$HANDOFF" = off ] && ARGS+=(--handoff-ms 0)
[ "$HANDOFF" = skb ] && ARGS+=(--mode skb)
CONF1=$LAN_LOGDIR/r1.conf
printf 'weight 100\nbalance-threshold 15\n' >"$CONF1" # flags would win over a reload
start_daemon 1 -c "$CONF1" --priority 110 "${ARGS[@]}"
start_daemon 2 --priority 100 --balance-threshold 15 "${ARGS[@]}"
wait_for 10 avg router_status 1 .role || fail "r1 never became the AVG"
wait_owned "5 5"
if [ "$HANDOFF" = on ]; then
	for i in $(seq 1 10); do nx "h$i" ethtool -K eth0 tx off >/dev/null || fail "h$i: checksums"; done
	for k in 1 2; do
		wait_for 5 1 sh -c "grep -c 'the veth.s peer takes no XDP frames' $LAN_LOGDIR/r$k.log" ||
			fail "r$k did not say that its veth's peer takes no XDP frames"
		nx sw ip link set dev "r$k" xdp obj "$(dirname "$VGW")/empty.bpf.o" sec xdp ||
			fail "an XDP program on the switch's port r$k"
	done
	for k in 1 2; do
		wait_for 5 1 sh -c "grep -c 'connections are handed off again' $LAN_LOGDIR/r$k.log" ||
			fail "r$k did not notice that its veth's peer takes XDP frames now"
	done
fi

# every host through one of r1's vMACs, two per vMAC: r1 carries all the load
mapfile -t r1v < <(router_status 1 '.vmacs[] | select(.state == "owned") | .index')
declare -A VMAC_OF
for i in $(seq 1 10); do
	VMAC_OF[$i]=${r1v[$(((i - 1) / 2))]}
	nx "h$i" ip neigh replace "$VIP" lladdr "$(vmac_of "${VMAC_OF[$i]}")" dev eth0 nud permanent
done
ip netns exec "$(ns srv)" python3 "$TOOLS/tcp_keep.py" server 10.78.0.100 8080 "$LAN_LOGDIR/accepts" &
lan_bg $!
for t in $(seq 1 50); do nx h1 python3 "$TOOLS/tcp_keep.py" once 10.78.0.100 8080 2>/dev/null && break; sleep 0.1; done
for i in $(seq 1 10); do
	ip netns exec "$(ns "h$i")" python3 "$TOOLS/tcp_keep.py" client 10.78.0.100 8080 10 200 \
		"$LAN_LOGDIR/c$i" &
	CLIENT_PID[$i]=$!
	lan_bg "${CLIENT_PID[$i]}"
done
open_all() { for i in $(seq 1 10); do sed -n 's/^open \([0-9]*\).*/\1/p' "$LAN_LOGDIR/c$i" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'; }
resets() { for i in $(seq 1 10); do sed -n 's/.* reset \([0-9]*\).*/\1/p' "$LAN_LOGDIR/c$i" 2>/dev/null; done | awk '{ s += $1 } END { print s + 0 }'; }
wait_for 15 100 open_all || fail "100 connections never opened (got $(open_all))"
hosts_on() { for i in $(seq 1 10); do for v in "$@"; do [ "${VMAC_OF[$i]}" = "$v" ] && echo "$i"; done; done; }
sent_on_r2() { router_status 2 '[.vmacs[].handoff.sent_packets // 0] | add'; }

# A new connection from host I: the address the server saw it come from.
new_conn_from() {
	local before
	before=$(wc -l <"$LAN_LOGDIR/accepts")
	nx "h$1" python3 "$TOOLS/tcp_keep.py" once 10.78.0.100 8080 || { echo failed; return; }
	sed -n "$((before + 1))p" "$LAN_LOGDIR/accepts" | cut -d' ' -f2
}

# phase 1: a balance move (r1 at 100 %, threshold 15 points)
for t in $(seq 1 300); do daemon_log 1 | grep -q "balance round" && break; sleep 0.1; done
mapfile -t moved1 < <(daemon_log 1 | sed -n 's/.*balance round [0-9]*: vMAC \([0-9]*\) 10.77.0.2 -> 10.77.0.3.*/\1/p')
[ ${#moved1[@]} -ge 1 ] || fail "no balance move from r1 to r2"
wait_owned "$((5 - ${#moved1[@]})) $((5 + ${#moved1[@]}))"
# the moved hosts' traffic reaches the server a while (2 s) through the new owner
sleep_traffic() { local t0=$(date +%s%N); while [ $(($(date +%s%N) - t0)) -lt "$1"000000 ]; do sleep 0.1; done; }
sleep_traffic 2000
first=$(hosts_on "${moved1[@]}" | head -1)
expect_eq "$(new_conn_from "$first")" 10.78.0.3 "a new connection of h$first after the balance move: source at the server"
reset1=$(resets)
sent1=$(sent_on_r2)
echo "balance move (vMACs ${moved1[*]}, hosts $(hosts_on "${moved1[@]}" | tr '\n' ' ')): $reset1 connections reset; r2 handed $sent1 packets to r1"

# phase 2: a weight change: r1 at weight 1 gives all its vMACs to r2 (balancing off)
printf 'weight 1\nbalance-threshold 100\n' >"$CONF1"
kill -HUP "${DAEMON_PID[1]}"
wait_owned "0 10"
mapfile -t moved2 < <(printf '%s\n' "${r1v[@]}" | grep -vxF -f <(printf '%s\n' "${moved1[@]}"))
sleep_traffic 2000
first=$(hosts_on "${moved2[@]}" | head -1)
expect_eq "$(new_conn_from "$first")" 10.78.0.3 "a new connection of h$first after the weight change: source at the server"
reset2=$(resets)
sent2=$(sent_on_r2)
echo "weight change (vMACs ${moved2[*]}): $((reset2 - reset1)) more connections reset; r2 handed $sent2 packets to r1 in all"

# phase 3: r1 stops gracefully; the connections end 2 s later; r1 waits for them
t0=$(date +%s%N)
kill -TERM "${DAEMON_PID[1]}"
if [ "$HANDOFF" != off ]; then
	for t in $(seq 1 100); do daemon_log 1 | grep -q "waiting up to" && break; sleep 0.1; done
	daemon_log 1 | grep -q "waiting up to" || fail "r1 did not wait for the connections handed to it"
	draining=$(router_status 1 '.handoff.flows_open')
	sleep_traffic 2000
	kill -0 "${DAEMON_PID[1]}" 2>/dev/null || fail "r1 stopped with connections still handed to it"
fi
received=$(router_status 1 '[.vmacs[].handoff.received_packets // 0] | add' 2>/dev/null)
for i in $(seq 1 10); do kill -USR1 "${CLIENT_PID[$i]}"; done
for i in $(seq 1 10); do wait "${CLIENT_PID[$i]}"; done
closed=$(for i in $(seq 1 10); do sed -n 's/.* closed \([0-9]*\).*/\1/p' "$LAN_LOGDIR/c$i"; done | awk '{ s += $1 } END { print s + 0 }')
stop_daemon 1
drain_ms=$((($(date +%s%N) - t0) / 1000000))
reset3=$(resets)
echo "graceful stop of r1: $((reset3 - reset2)) more connections reset, $closed closed cleanly; r1 stopped after $drain_ms ms (${draining:-0} connections handed to it when it began waiting, $received packets received in all)"
echo "handoff $HANDOFF: 100 connections, $reset3 reset"
expect_eq "$STOP_RC" 0 "r1's exit code"
if [ "$HANDOFF" != off ]; then
	expect_eq "$reset3" 0 "connections reset"
	expect_eq "$closed" 100 "connections closed cleanly"
	expect_ge "$sent1" 1 "packets r2 handed to r1 after the balance move"
	expect_ge "$sent2" $((sent1 + 1)) "packets r2 handed to r1 after the weight change"
	expect_ge "${received:-0}" "$sent2" "packets r1 counted as handed to it"
	expect_ge "${draining:-0}" 1 "connections r1's status showed as handed to it while it waited"
	daemon_log 1 | grep -q "the connections handed off to this router ended" || fail "r1 did not log the end of its drain"
	[ "$drain_ms" -lt 20000 ] || fail "r1 waited the whole --drain-ms ($drain_ms ms)"
else
	expect_ge "$reset1" 1 "connections reset by the balance move without handoff"
	expect_ge "$((reset2 - reset1))" 1 "connections reset by the weight change without handoff"
fi
[ "$E2E_FAILED" = 0 ] || for k in 1 2; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC [0-9]* \(owned\|foreign\|releasing\)"; done
exit $E2E_FAILED
