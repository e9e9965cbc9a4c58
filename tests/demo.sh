#!/usr/bin/env bash
# make demo: the group daemon on three routers serving one vIP to six hosts on
# a Linux bridge. It shows the election, hosts resolving the vIP to different
# vMACs, skewed traffic and the balancer's moves, a router killed and the
# group taking over, the router returning, and a graceful stop without loss,
# with `vgw status` at each step. Every step checks its outcome and says what
# failed. It ends with a plot of each router's share over time, the events
# marked (build/demo/shares.png). Everything is torn down at the end, or on
# Ctrl-C.
set -u
LAN_ID=demo$$
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/tests/e2e/assert.sh" # wait_for, wait_true
OUT=$ROOT/build/demo
mkdir -p "$OUT"
LAN_LOGDIR=$(mktemp -d)
SAMPLER=
cleanup() {
	[ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null
	flows_kill
	for p in "${LOAD_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	stop_all_daemons
	lan_destroy
	rm -rf "$LAN_LOGDIR"
}
LOAD_PIDS=()
trap cleanup EXIT
trap 'echo; echo "interrupted: cleaning up"; exit 130' INT TERM

HOSTS=6
T0=$(date +%s%N)
GROUP=(--hello-ms 100 --hold-ms 300 --vmacs 12 --poll-ms 250 --smoothing-ms 500
	--balance-hold-ms 1000 --move-cooldown-ms 4000 --balance-min-pps 50 --preempt --preempt-delay-ms 0)
say() { printf '\n\033[1m[%5.1f s] %s\033[0m\n' "$(elapsed)" "$*"; }
elapsed() { awk -v n="$(date +%s%N)" -v t="$T0" 'BEGIN { printf "%.1f", (n - t) / 1e9 }'; }
event() { echo "$(elapsed) $*" >>"$OUT/events"; }
# the step failed: say what, show the routers' last log lines, stop
failed() {
	printf '\n\033[1;31mdemo: FAILED: %s\033[0m\n' "$*"
	for k in 1 2 3; do
		echo "--- r$k log (last lines)"
		daemon_log "$k" | tail -n 5
	done
	exit 1
}
status_of() { rx "r$1" "$VGW" status --iface lan0 | sed 's/^/    /'; }
# routers: one line per router with its role and vMACs, from each one's own status
routers() {
	local k
	for k in 1 2 3; do
		if [ -z "${DAEMON_PID[$k]:-}" ]; then
			printf '    r%d (%s): not running\n' "$k" "$(router_ip "$k")"
			continue
		fi
		router_status "$k" -r '"    r'"$k"' (\(.router_id)): \(.role // "-"), forwards vMACs \([.vmacs[] | select(.state == "owned") | .index] | map(tostring) | join(","))"'
	done
}
shares_line() { router_status 1 -r '[.routers[] | "\(.id) \(.share | round)%"] | join(", ")'; }
start() { # K PRIORITY
	start_daemon "$1" --priority "$2" "${GROUP[@]}"
}

say "The LAN: bridge sw, routers r1 r2 r3 (vgw run), hosts h1..h$HOSTS, server 10.78.0.100 upstream"
lan_create 3 "$HOSTS" || failed "could not build the namespace LAN"
: >"$OUT/events"
: >"$OUT/shares.dat"

say "Election: vgw run on each router; priorities 150, 120, 100; hello 100 ms, hold 300 ms"
start 1 150
start 2 120
start 3 100
event "routers start"
wait_for 10 avg router_status 1 .role || failed "r1 (priority 150) did not become the AVG: $(router_status 1 .role)"
wait_for 5 standby router_status 2 .role || failed "r2 did not become the standby"
wait_owned "4 4 4" 2>/dev/null || failed "the 12 vMACs were not shared 4/4/4: $(owned_counts_sorted)"
event "elected"
routers
echo "  r1# vgw status --iface lan0"
status_of 1

# each router's share every 250 ms, as the AVG (r1) measures it, for the plot (NaN: not
# heard, a gap in its line)
(
	while :; do
		line=$(router_status 1 -r --arg t "$(elapsed)" '
			[.routers[] | {(.id): .share}] | add as $s
			| "\($t) \($s["10.77.0.2"] // "NaN") \($s["10.77.0.3"] // "NaN") \($s["10.77.0.4"] // "NaN")"' 2>/dev/null)
		[ -n "$line" ] && echo "$line" >>"$OUT/shares.dat"
		sleep 0.25
	done
) &
SAMPLER=$!

say "Hosts resolve $VIP through their own kernels' ARP: the AVG hands out different vMACs"
declare -A used
for i in $(seq 1 "$HOSTS"); do
	nx "h$i" ping -c 1 -W 2 -q 10.78.0.100 >/dev/null || failed "h$i cannot reach the server through $VIP"
	mac=$(host_vip_mac "$i")
	[[ "$mac" == 02:76:67:00:1* ]] || failed "h$i resolved $VIP to $mac, not a vMAC"
	v=$(host_vmac_index "$i")
	owner=$(router_status 1 -r ".vmacs[$((v - 1))].owner")
	used[$owner]=1
	printf '    h%d (%s): %s is at %s (vMAC %d, forwarded by %s)\n' "$i" "$(host_ip "$i")" "$VIP" "$mac" "$v" "$owner"
done
[ "${#used[@]}" -ge 2 ] || failed "every host got a vMAC of one router"
printf '    (no host uses a router'"'"'s own MAC: r1 is %s)\n' "$(router_mac 1)"
event "hosts resolve"

say "Skewed traffic: h1..h3 send heavy traffic, all through vMACs of r3; h4..h6 light"
mapfile -t r3v < <(router_status 3 '.vmacs[] | select(.state == "owned") | .index')
for i in 1 2 3; do
	nx "h$i" ip neigh replace "$VIP" lladdr "$(vmac_of "${r3v[$((i - 1))]}")" dev eth0 nud permanent
	echo "    h$i -> vMAC ${r3v[$((i - 1))]} (r3)"
done
for i in $(seq 1 "$HOSTS"); do
	pct=$([ "$i" -le 3 ] && echo 20 || echo 5)
	ip netns exec "$(ns "h$i")" ping -q -i 0.01 -s $((60 * pct - 42)) -w 60 10.78.0.100 >/dev/null 2>&1 &
	LOAD_PIDS+=($!)
done
event "skewed traffic"
moved=0
for t in $(seq 1 150); do
	moved=$(daemon_log 1 | grep -c "balance round")
	s3=$(router_status 1 --arg id 10.77.0.4 '.routers[] | select(.id == $id) | .share | round' 2>/dev/null)
	[ "$moved" -ge 1 ] && [ "${s3:-100}" -le 45 ] && break
	sleep 0.1
done
[ "$moved" -ge 1 ] || failed "the AVG moved no vMAC in 15 s of skewed traffic (shares: $(shares_line))"
echo "  the AVG's balance rounds (r1's log):"
daemon_log 1 | grep "balance round" | sed 's/^vgw: lan0: /    /'
echo "  shares now: $(shares_line)"
[ "${s3:-100}" -le 45 ] || failed "r3 still carries ${s3}% after the moves"
event "balanced"
routers

r3_now=$(router_status 3 -r '[.vmacs[] | select(.state == "owned") | .index] | map(tostring) | join(",")')
say "Failure: kill -9 r3 (it forwards vMACs $r3_now); h1..h3 ping the server at 100/s meanwhile"
flows 8
sleep 1
kill -KILL "${DAEMON_PID[3]}"
wait "${DAEMON_PID[3]}" 2>/dev/null
unset "DAEMON_PID[3]"
event "r3 killed"
r3_forgotten() { [ "$(router_status 1 '[.vmacs[] | select(.owner == "10.77.0.4")] | length')" = 0 ]; }
wait_true 5 r3_forgotten || failed "r3's vMACs were not taken over: $(owner_table 1 | tr '\n' ' ')"
daemon_log 1 | grep -m1 "10.77.0.4 silent" | sed 's/^vgw: lan0: /    r1: /'
routers
flows_end "  r3 killed" || true
for i in 1 2 3; do
	[ "${GAP[$i]:-99999}" -le 2000 ] || failed "h$i went ${GAP[$i]} ms without an answer"
done
echo "  (a killed daemon's data plane forwards on until the survivors take its vMACs, one hold"
echo "   time later, and then fails safe: hosts lose nothing; 'vgw status' on r3 says:)"
rx r3 "$VGW" status --iface lan0 | grep '^daemon:' | sed 's/^/    /'
rx r3 "$VGW" status --iface lan0 | grep -q '^daemon: gone' || failed "r3's status does not say its daemon is gone"

say "r3 returns: vgw run takes its failed-safe data plane over and rejoins the group"
start 3 100
wait_owned "4 4 4" 2>/dev/null || failed "after r3 came back: vMACs per router $(owned_counts_sorted), want 4 4 4"
event "r3 back"
routers

say "Graceful stop: SIGTERM to r2 while h1..h3 ping; it hands its vMACs over first"
flows 6
sleep 1
event "r2 stops"
stop_daemon 2
[ "$STOP_RC" = 0 ] || failed "r2 exited $STOP_RC after SIGTERM"
flows_end "  r2 stopped" || true
for i in 1 2 3; do
	[ "${LOSS[$i]}" = 0 ] || failed "h$i lost ${LOSS[$i]}% of its pings during the graceful stop"
done
echo "  no ping lost"
routers

say "Final: r1# vgw status --iface lan0"
status_of 1
kill "$SAMPLER" 2>/dev/null
wait "$SAMPLER" 2>/dev/null
SAMPLER=

# the plot: one line per router, the events as labelled verticals
{
	echo "set terminal png size 1000,500"
	echo "set output '$OUT/shares.png'"
	echo "set title 'vgw make demo: each router''s share of the traffic (as the AVG r1 measures it)'"
	echo "set xlabel 'seconds'; set ylabel 'share %'; set yrange [0:110]; set key outside right"
	n=0
	while read -r t what; do
		n=$((n + 1))
		echo "set arrow $n from $t, graph 0 to $t, graph 1 nohead lc rgb '#bbbbbb' dt 2"
		echo "set label $n '$what' at $t, graph 0.98 rotate by 90 right font ',8'"
	done <"$OUT/events"
	echo "plot '$OUT/shares.dat' using 1:(\$2) with lines lw 2 title 'r1 10.77.0.2 (AVG)', '' using 1:(\$3) with lines lw 2 title 'r2 10.77.0.3', '' using 1:(\$4) with lines lw 2 title 'r3 10.77.0.4'"
} >"$OUT/shares.gp"
gnuplot "$OUT/shares.gp" 2>"$OUT/gnuplot.err" && [ -s "$OUT/shares.png" ] ||
	failed "gnuplot could not draw the plot: $(head -3 "$OUT/gnuplot.err")"
say "Done in $(elapsed) s. Plot of the shares over time: $OUT/shares.png"
