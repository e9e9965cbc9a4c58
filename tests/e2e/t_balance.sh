#!/usr/bin/env bash
# Traffic-aware balancing with real hosts and real traffic: ten hosts get
# vMACs 1..10 through their own ARP; their traffic makes the per-vMAC shares
# those of the patent's Table 2 (70/30). Within three balance rounds both
# routers are within the threshold (5 points) of 50 %, no host's ARP entry
# changed and no packet was lost. Then the heaviest host stops, and the group
# balances again.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT
# On a slow machine the loads are E2E_SLOW times lighter: the measurement window
# is that much longer, so that each poll counts as many packets; and so is the
# balance hold, so that the first round comes once every rate has settled (the
# AVG's own rates are fresher than those its peer's hellos carry: while rates
# still rise, that makes its own share look larger)
BAL=(--hello-ms "$(slow_ms 100)" --hold-ms "$(slow_ms 300)" --vmacs 10 --lb round-robin
	--poll-ms "$(slow_ms 500)" --smoothing-ms "$(slow_ms 500)" --balance-hold-ms "$(slow_ms 2000)"
	--move-cooldown-ms 60000)

lan_create 2 10
LAN_LOGDIR=$(mktemp -d)
start_daemon 1 --priority 110 "${BAL[@]}"
start_daemon 2 --priority 100 "${BAL[@]}"
wait_for 10 avg router_status 1 .role || fail "r1 never became the AVG"
wait_owned "5 5"
nx srv ip route replace 10.77.0.0/24 via 10.78.0.2
for i in $(seq 1 10); do
	nx "h$i" ping -c 1 -W 1 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server"
	expect_eq "$(host_vip_mac "$i")" "$(vmac_of "$i")" "h$i's vMAC (round-robin)"
done
arp_before=$(for i in $(seq 1 10); do host_vip_mac "$i"; done)

# Table 2: r1's five vMACs carry 20,13,15,15,7 %, r2's five 10,5,0,10,5 %
declare -A load
r1_left=(20 13 15 15 7)
r2_left=(10 5 0 10 5)
mapfile -t owners < <(router_status 1 '.vmacs[].owner')
for v in $(seq 1 10); do
	if [ "${owners[$((v - 1))]}" == 10.77.0.2 ]; then
		load[$v]=${r1_left[0]}
		r1_left=("${r1_left[@]:1}")
	else
		load[$v]=${r2_left[0]}
		r2_left=("${r2_left[@]:1}")
	fi
done
heaviest=$(for v in $(seq 1 10); do echo "${load[$v]} $v"; done | sort -n | tail -1 | cut -d' ' -f2)
for i in $(seq 1 10); do ping_load "$i" "${load[$i]}" 14; done
ping_loads_go
start=$(date +%s%N)

# the group comes within the threshold of 50/50, after at least one move
for t in $(seq 1 $((200 * E2E_SLOW))); do
	s1=$(router_share 1)
	moves=$(daemon_log 1 | grep -c "balance round")
	[ "$moves" -ge 1 ] && [ "${s1:-0}" -ge 45 ] && [ "$s1" -le 55 ] && break
	sleep 0.1
done
converged_ms=$((($(date +%s%N) - start) / 1000000))
rounds=$(daemon_log 1 | sed -n 's/.*balance round \([0-9]*\):.*/\1/p' | sort -u | wc -l)
echo "Table 2 case: $(router_share 1)/$(router_share 2) ${converged_ms} ms after traffic started, $moves move(s) in $rounds round(s)"
daemon_log 1 | grep "balance round" | sed 's/^/    /'
# the AVG measured Table 2's 70/30 when it acted
first=$(daemon_log 1 | sed -n 's/.*(shares \([0-9]*\)\.[0-9]\/.*/\1/p' | head -1)
[ "${first:-0}" -ge 65 ] && [ "$first" -le 75 ] || fail "the AVG's first measured share was ${first}%, not about 70%"
[ "${s1:-0}" -ge 45 ] && [ "$s1" -le 55 ] || fail "not balanced: r1 at ${s1}%"
[ "$rounds" -ge 1 ] && [ "$rounds" -le 3 ] || fail "$rounds balance rounds, want 1 to 3"

# the heaviest host stops: balanced again, and staying so (three samples in a row)
kill "${PING_PID[$heaviest]}" 2>/dev/null
wait "${PING_PID[$heaviest]}" 2>/dev/null
sleep $((3 * E2E_SLOW)) # its rate decays (smoothing 0.5 s) and the imbalance lasts a hold time (2 s), x E2E_SLOW
in_range=0
for t in $(seq 1 $((30 * E2E_SLOW))); do
	s1=$(router_share 1)
	if [ "${s1:-0}" -ge 45 ] && [ "$s1" -le 55 ]; then in_range=$((in_range + 1)); else in_range=0; fi
	[ "$in_range" -ge 3 ] && break
	sleep 0.5
done
echo "heaviest host (vMAC $heaviest, ${load[$heaviest]} %) stopped: $(router_share 1)/$(router_share 2), $(daemon_log 1 | grep -c "balance round") moves in all"
[ "$in_range" -ge 3 ] || fail "not balanced again: r1 at ${s1}%"

for i in $(seq 1 10); do
	[ -n "${PING_PID[$i]:-}" ] && [ "$i" != "$heaviest" ] && wait "${PING_PID[$i]}"
done
for i in $(seq 1 10); do
	[ "${load[$i]}" -gt 0 ] && [ "$i" != "$heaviest" ] && expect_eq "$(ping_loss "$i")" 0 "h$i's packet loss"
done
expect_eq "$(for i in $(seq 1 10); do host_vip_mac "$i"; done)" "$arp_before" "hosts' ARP entries for the vIP"
[ "$E2E_FAILED" = 0 ] || for k in 1 2; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC [0-9]* \(owned\|foreign\|releasing\)"; done
exit $E2E_FAILED
