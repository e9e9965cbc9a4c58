#!/usr/bin/env bash
# make chaos: a seeded fault soak. A namespace LAN like the e2e one (a Linux
# bridge as the switch, CHAOS_ROUTERS routers running vgw run, each
# masquerading to the upstream server with the connection handoff on, and real
# hosts doing their own ARP) carries steady traffic: each host pings the
# server 50 times a second, keeps two TCP connections talking (a reset one is
# replaced) and opens a new one every two seconds. Meanwhile faults drawn from CHAOS_SEED (schedule.py:
# several at once, in waves) hit the routers, and a sampler records, every
# 300 ms, each daemon's role, vMACs, descriptors and memory, the switch's
# forwarding table and the connections' resets. check.py then holds the
# record to the group's promises and prints a summary; a failing run prints
# its seed and its faults, and the same CHAOS_SEED replays the same schedule.
#
#   CHAOS_SEED (random)  CHAOS_MINUTES (10) or CHAOS_SECONDS  CHAOS_ROUTERS (3, 3-6)
#   CHAOS_TIMERS (100/300: hello/hold ms)  CHAOS_OUT (build/chaos/SEED-...: the record)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SEED=${CHAOS_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
SECS=${CHAOS_SECONDS:-$((${CHAOS_MINUTES:-10} * 60))}
ROUTERS=${CHAOS_ROUTERS:-3}
TIMERS=${CHAOS_TIMERS:-100/300}
HELLO=${TIMERS%/*}
HOLD=${TIMERS#*/}
HOSTS=$((2 * ROUTERS))
VMACS=$((4 * ROUTERS))
case "$ROUTERS" in 3 | 4 | 5 | 6) ;; *) echo "chaos: CHAOS_ROUTERS is 3 to 6, not '$ROUTERS'" >&2; exit 2 ;; esac
[[ "$HELLO" =~ ^[0-9]+$ && "$HOLD" =~ ^[0-9]+$ ]] || { echo "chaos: CHAOS_TIMERS is HELLO/HOLD in ms, not '$TIMERS'" >&2; exit 2; }
. "$HERE/../e2e/lib.sh"
. "$HERE/../e2e/assert.sh"
TOOLS=$(cd "$HERE/../tools" && pwd)
BIN=$(dirname "$VGW")
OUT=${CHAOS_OUT:-$BIN/chaos/$SEED-$ROUTERS-${HELLO}-${HOLD}-$SECS}
rm -rf "$OUT" && mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || exit 2 # the daemons run elsewhere
BG_PIDS=()
TCP_PIDS=()

cleanup() {
	local k p
	touch "$OUT/stop"
	for p in "${BG_PIDS[@]}" "${TCP_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for k in $(seq 1 "$ROUTERS"); do
		p=$(cat "$OUT/r$k.pid" 2>/dev/null) || continue
		kill -CONT "$p" 2>/dev/null
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	lan_destroy
}
trap cleanup EXIT
# the soak cannot start: one line, and the LAN goes
abort() {
	echo "chaos: $*" >&2
	exit 2
}

python3 "$HERE/schedule.py" "$SEED" "$SECS" "$ROUTERS" "$HELLO" "$HOLD" >"$OUT/schedule" || exit 2
echo "chaos: seed $SEED, $SECS s, $ROUTERS routers at $HELLO/$HOLD, $(wc -l <"$OUT/schedule") faults (record in $OUT):"
sed 's/^/  /' "$OUT/schedule"
printf '%s\n' "seed=$SEED" "secs=$SECS" "routers=$ROUTERS" "hello=$HELLO" "hold=$HOLD" \
	"hosts=$HOSTS" "vmacs=$VMACS" >"$OUT/params"

lan_create "$ROUTERS" "$HOSTS"
head -c 32 /dev/urandom >"$OUT/key"
lan_masquerade
for k in $(seq 1 "$ROUTERS"); do
	printf 'priority %d\nweight 100\nhello-ms %d\nhold-ms %d\ndrain-ms 8000\n' \
		$((100 + k)) "$HELLO" "$HOLD" >"$OUT/r$k.conf"
done

# The kernel's count of neighbour entries refused for a full table (every
# namespace's): a run where it rose proves little (check.py says so)
table_fulls() {
	local f n=0
	while read -ra f; do [[ ${f[12]} =~ ^[0-9a-f]+$ ]] && n=$((n + 16#${f[12]})); done </proc/net/stat/arp_cache
	echo "$n"
}
echo "table_fulls_before=$(table_fulls)" >>"$OUT/params"
T0=$(now_ms) # times in the record are ms from here
echo "t0=$T0" >>"$OUT/params"
echo "0 start" >"$OUT/events"
event() { echo "$(($(now_ms) - T0)) $*" >>"$OUT/events"; }

# Each line with its time (ms since the traffic started), as journald would stamp it.
stamp() {
	local line
	while IFS= read -r line; do
		printf '%d %s\n' $((${EPOCHREALTIME/./} / 1000 - T0)) "$line"
	done
}

# vgw run on router K, as its unit would start it; the daemon's own pid in rK.pid
start_router() {
	local k=$1
	nsenter --mount="$MNTNS_DIR/$(ns "r$k")" --net="/run/netns/$(ns "r$k")" \
		"$VGW" run --iface lan0 --group 1 --vip "$VIP" -c "$OUT/r$k.conf" --vmacs "$VMACS" \
		--key-file "$OUT/key" --track up0 --track-decrement 255 --poll-ms 500 \
		--smoothing-ms 1000 --balance-hold-ms 2000 --move-cooldown-ms 5000 \
		> >(stamp >>"$OUT/r$k.log") 2>&1 &
	echo $! >"$OUT/r$k.pid"
	disown $! # a kill -9 is the fault, not news
}
pid_of() { cat "$OUT/r$1.pid"; }
# until router K's daemon has exited (30 s at most)
wait_gone() { local t; for t in $(seq 1 300); do kill -0 "$(pid_of "$1")" 2>/dev/null || return 0; sleep 0.1; done; return 1; }
set_conf() { sed -i "s/^$2 .*/$2 $3/" "$OUT/r$1.conf"; }
reloads() { grep -c 'config reloaded' "$OUT/r$1.log"; }

# One fault, from its start to its end (run in the background).
fault() {
	local kind=$1 k=$2 dur=$3 arg=$4 s n
	s=$(awk -v m="$dur" 'BEGIN { printf "%.3f", m / 1000 }')
	case "$kind" in
	kill9)
		event begin kill9 "$k"
		kill -KILL "$(pid_of "$k")"
		sleep "$s"
		start_router "$k"
		event end kill9 "$k"
		;;
	stall)
		event begin stall "$k"
		kill -STOP "$(pid_of "$k")"
		sleep "$s"
		kill -CONT "$(pid_of "$k")"
		event end stall "$k"
		;;
	lan_flap | up_flap)
		local dev=lan0
		[ "$kind" = up_flap ] && dev=up0
		event begin "$kind" "$k"
		rx "r$k" ip link set "$dev" down
		sleep "$s"
		rx "r$k" ip link set "$dev" up
		event end "$kind" "$k"
		;;
	loss)
		local pct=${arg%/*} dir=${arg#*/} hook
		event begin loss "$k" "$arg"
		rx "r$k" nft add table netdev vgwloss
		for hook in ingress egress; do
			[ "$dir" = in ] && [ $hook = egress ] && continue
			[ "$dir" = out ] && [ $hook = ingress ] && continue
			rx "r$k" nft add chain netdev vgwloss $hook "{ type filter hook $hook device lan0 priority 0; }"
			rx "r$k" nft add rule netdev vgwloss $hook udp dport 7667 numgen random mod 100 '<' "$pct" drop
		done
		sleep "$s"
		rx "r$k" nft delete table netdev vgwloss
		event end loss "$k"
		;;
	split)
		event begin split "$k" "$arg"
		for n in "$k:$arg" "$arg:$k"; do
			rx "r${n%:*}" nft add table ip vgwsplit
			rx "r${n%:*}" nft add chain ip vgwsplit in '{ type filter hook input priority 0; }'
			rx "r${n%:*}" nft add rule ip vgwsplit in ip saddr "$(router_ip "${n#*:}")" udp dport 7667 drop
		done
		sleep "$s"
		rx "r$k" nft delete table ip vgwsplit
		rx "r$arg" nft delete table ip vgwsplit
		event end split "$k" "$arg"
		;;
	graceful)
		if [ "$arg" = nodrain ]; then
			n=$(reloads "$k")
			set_conf "$k" drain-ms 0
			kill -HUP "$(pid_of "$k")"
			wait_true 5 sh -c "[ \$(grep -c 'config reloaded' $OUT/r$k.log) -gt $n ]"
		fi
		event begin graceful "$k" "$arg"
		kill -TERM "$(pid_of "$k")"
		wait_gone "$k" || event unfinished graceful "$k"
		event stopped graceful "$k"
		set_conf "$k" drain-ms 8000
		sleep "$s"
		start_router "$k"
		event end graceful "$k"
		;;
	sighup)
		case "$arg" in
		timers=*)
			n=${arg#timers=}
			set_conf "$k" hello-ms "${n%/*}"
			set_conf "$k" hold-ms "${n#*/}"
			;;
		*) set_conf "$k" "${arg%=*}" "${arg#*=}" ;;
		esac
		kill -HUP "$(pid_of "$k")"
		event begin sighup "$k" "$arg"
		event end sighup "$k"
		;;
	skew)
		n=$((arg % HOSTS + 1))
		event begin skew "$k" "h$n"
		nx "h$n" ping -q -i 0.002 -s 1200 -w "$(((dur + 999) / 1000))" 10.78.0.100 >/dev/null 2>&1
		event end skew "$k"
		;;
	arp_flood)
		# 400 requests a second from 300 / ROUTERS hosts over and over: here
		# the neighbour table's limits are the kernel's, shared by every
		# namespace (gc_thresh3 1024 in all), and each router keeps an entry
		# per asker; more would overflow it for routers and hosts alike, which
		# real routers, each with a table of its own, would not see
		local end=$(($(now_ms) + dur)) askers=$((300 / ROUTERS))
		event begin arp_flood "$k"
		while [ "$(now_ms)" -lt $end ]; do
			nx h1 "$BIN/vgw-arp-flood" eth0 "$VIP" 10.200.0.1 "$askers" \
				"$(awk -v n="$askers" 'BEGIN { printf "%.3f", n / 400 }')" >/dev/null 2>&1
		done
		event end arp_flood "$k"
		;;
	hostile)
		local end=$(($(now_ms) + dur)) i=0
		event begin hostile "$k"
		while [ "$(now_ms)" -lt $end ]; do
			i=$((i + 1))
			nx h2 "$BIN/vgw-hello-inject" eth0 1 10.77.0.66 255 - now 2>/dev/null  # unsigned
			nx h2 "$BIN/vgw-hello-inject" eth0 1 10.77.0.66 64 "$OUT/key" now 2>/dev/null # TTL
			nx h2 "$BIN/vgw-hello-inject" eth0 1 10.77.0.66 255 - now garbage 2>/dev/null
		done
		event end hostile "$k"
		;;
	esac
}

# What vgw status says of router K's vMACs (index, state, owner) against the
# pinned vmac_table itself, read by bpftool; status is read before and after
# the dump, and a vMAC that moved meanwhile proves nothing ("moving").
status_vs_maps() {
	local k=$1 t=$2 a m b
	a=$(rx "r$k" "$VGW" status --iface lan0 --json 2>/dev/null | jq -c '[.vmacs[] | [.index, .state, .owner]]' 2>/dev/null)
	m=$(rx "r$k" bpftool -j map dump pinned /sys/fs/bpf/vgw/lan0/vmac_table 2>/dev/null |
		jq -c --argjson n "$VMACS" '[.[].formatted | select(.key >= 1 and .key <= $n) |
			[.key, (["unused", "owned", "foreign", "releasing"][.value.state] // "unused"),
			 (if .value.owner == [0, 0, 0, 0] then null else (.value.owner | map(tostring) | join(".")) end)]] | sort' 2>/dev/null)
	b=$(rx "r$k" "$VGW" status --iface lan0 --json 2>/dev/null | jq -c '[.vmacs[] | [.index, .state, .owner]]' 2>/dev/null)
	if [ -z "$a" ] || [ -z "$m" ] || [ "$a" != "$b" ]; then
		echo "$t maps $k moving"
	elif [ "$a" = "$m" ]; then
		echo "$t maps $k agree"
	else
		echo "$t maps $k differ status $a maps $m"
	fi
}

# Every 300 ms: each daemon (alive: role, owned vMACs, descriptors, memory),
# the switch's vMAC entries, and each host's connection counts; every 3 s,
# each live daemon's status against its pinned maps.
sampler() {
	local t k p st i round=0
	while [ ! -e "$OUT/stop" ]; do
		t=$(($(now_ms) - T0))
		round=$((round + 1))
		for k in $(seq 1 "$ROUTERS"); do
			p=$(pid_of "$k")
			if [ -d "/proc/$p" ] && [ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" != Z ]; then
				st=$(rx "r$k" "$VGW" status --iface lan0 --json 2>/dev/null |
					jq -c '{role: .role, owned: [.vmacs[] | select(.state == "owned") | .index]}' 2>/dev/null)
				[ -n "$st" ] || st='{}'
				echo "$t r $k $p alive $(ls "/proc/$p/fd" 2>/dev/null | wc -l)" \
					"$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status" 2>/dev/null) $st"
			else
				echo "$t r $k $p gone"
			fi
		done
		echo "$t fdb $(nx sw bridge -j fdb show br br0 | jq -c '[.[] | select(.mac | startswith("02:76:67")) | select(.flags | index("self") | not) | [.mac, .ifname]]')"
		for i in $(seq 1 "$HOSTS"); do
			echo "$t tcp $i $(tail -1 "$OUT/tcp$i" 2>/dev/null)"
			echo "$t arp $i $(nx "h$i" ip neigh show "$VIP" dev eth0)" # the host's gateway MAC
		done
		if [ $((round % 10)) = 0 ]; then
			for k in $(seq 1 "$ROUTERS"); do
				kill -0 "$(pid_of "$k")" 2>/dev/null && status_vs_maps "$k" "$t"
			done
		fi
		sleep 0.3
	done >>"$OUT/samples"
}

# -- the group forms, the traffic starts ---------------------------------------------
# XDP_TX (the handoff) needs an XDP program on a veth's peer, as on the switch's ports
# here; its frames go out as they are, so the hosts put in their own checksums, as a NIC would
for k in $(seq 1 "$ROUTERS"); do
	nx sw ip link set dev "r$k" xdp obj "$BIN/empty.bpf.o" sec xdp || abort "XDP on the switch's port r$k (make chaos builds $BIN/empty.bpf.o)"
done
for i in $(seq 1 "$HOSTS"); do nx "h$i" ethtool -K eth0 tx off >/dev/null || abort "h$i: checksums"; done
for k in $(seq 1 "$ROUTERS"); do start_router "$k"; done
ip netns exec "$(ns srv)" python3 "$TOOLS/tcp_keep.py" server 10.78.0.100 8080 "$OUT/accepts" &
BG_PIDS+=($!)
formed() { [ "$(for k in $(seq 1 "$ROUTERS"); do owned_count "$k"; done | awk '{ s += $1 } END { print s }')" = "$VMACS" ]; }
wait_true 30 formed || abort "the group never formed: $(owned_counts_sorted)"
for i in $(seq 1 "$HOSTS"); do
	ip netns exec "$(ns "h$i")" ping -D -i 0.02 10.78.0.100 >"$OUT/ping$i" 2>&1 & # ping's own pid
	BG_PIDS+=($!)
	ip netns exec "$(ns "h$i")" python3 "$TOOLS/tcp_keep.py" client 10.78.0.100 8080 2 200 "$OUT/tcp$i" renew &
	TCP_PIDS+=($!)
done
new_conns() {
	local i
	while [ ! -e "$OUT/stop" ]; do
		for i in $(seq 1 "$HOSTS"); do
			if nx "h$i" timeout 5 python3 "$TOOLS/tcp_keep.py" once 10.78.0.100 8080 2>/dev/null; then
				echo "$(($(now_ms) - T0)) $i ok"
			else
				echo "$(($(now_ms) - T0)) $i failed"
			fi
		done
		sleep 2
	done >>"$OUT/new"
}
TRAFFIC_AT=$(($(now_ms) - T0)) # the schedule's times count from here
echo "$TRAFFIC_AT traffic" >>"$OUT/events"
sampler &
BG_PIDS+=($!)
new_conns &
BG_PIDS+=($!)

# -- the faults, each at its time -----------------------------------------------------
FAULTS=()
while read -r at kind k dur arg; do
	while [ $(($(now_ms) - T0 - TRAFFIC_AT)) -lt "$at" ]; do sleep 0.05; done
	fault "$kind" "$k" "$dur" "$arg" &
	FAULTS+=($!)
done <"$OUT/schedule"
for p in "${FAULTS[@]}"; do wait "$p" 2>/dev/null; done # bash may have reaped the early ones
while [ $(($(now_ms) - T0 - TRAFFIC_AT)) -lt $((SECS * 1000)) ]; do sleep 0.2; done
event finish

# -- the end: traffic stops, the daemons stop gracefully, the record is judged -----
touch "$OUT/stop"
for p in "${TCP_PIDS[@]}"; do kill -USR1 "$p" 2>/dev/null; done
wait "${TCP_PIDS[@]}" 2>/dev/null
TCP_PIDS=()
for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
wait "${BG_PIDS[@]}" 2>/dev/null
BG_PIDS=()
for k in $(seq 1 "$ROUTERS"); do
	rx "r$k" "$VGW" status --iface lan0 --json >"$OUT/status$k.json" 2>&1 # for a post-mortem
	rx "r$k" ip -s neigh show dev lan0 >"$OUT/neigh$k" 2>&1
	kill -TERM "$(pid_of "$k")" 2>/dev/null
done
for k in $(seq 1 "$ROUTERS"); do
	wait_gone "$k" || echo "$(($(now_ms) - T0)) unfinished final-stop $k" >>"$OUT/events"
done
echo "table_fulls_after=$(table_fulls)" >>"$OUT/params"
python3 "$HERE/check.py" "$OUT"
rc=$?
[ $rc -eq 0 ] || echo "chaos: FAILED with seed $SEED: replay with make chaos CHAOS_SEED=$SEED CHAOS_SECONDS=$SECS CHAOS_ROUTERS=$ROUTERS CHAOS_TIMERS=$TIMERS"
exit $rc
