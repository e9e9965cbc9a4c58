#!/usr/bin/env bash
# The group's limits hold: 16 routers (the most a group has), 256 vMACs (the
# largest pool), hellos every 50 ms (each router hears 300 a second, each
# carrying the AVG's full table or a share of rates). All agree on one AVG,
# each router lists the 15 others as live and owns 16 vMACs, and for 10 s of
# steady state no router drops a hello, forgets a peer or changes role.
# Prints the daemons' CPU time over those 10 s.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT
N=16

lan_create "$N" 0
for k in $(seq 1 "$N"); do
	start_daemon "$k" --priority $((100 + k)) --vmacs 256 --hello-ms 50 --hold-ms 150 --poll-ms 500
done
all_own_16() { [ "$(owned_counts_sorted)" = "$(printf '16 %.0s' $(seq 1 "$N"))" ]; }
wait_true 30 all_own_16 || fail "vMACs per router: got '$(owned_counts_sorted)'"
avgs() { for k in $(seq 1 "$N"); do router_status "$k" .avg; done | sort -u | tr '\n' ' '; }
expect_match "$(avgs)" '^10\.77\.0\.[0-9]+ $' "the AVGs the routers name (one for all)"

logged() { local k; for k in $(seq 1 "$N"); do daemon_log "$k"; done | grep -cE ': role |silent past|: vMAC [0-9]+ '; }
cpu_ticks() { local k; for k in $(seq 1 "$N"); do awk '{ print $14 + $15 }' "/proc/${DAEMON_PID[$k]}/stat"; done | paste -sd' '; }
before=$(logged)
cpu0=$(cpu_ticks)
t0=$(now_ms)
sleep 10 # steady state, measured below
cpu1=$(cpu_ticks)
secs=$(echo "$(now_ms) $t0" | awk '{ print ($1 - $2) / 1000 }')
expect_eq "$(logged)" "$before" "role, vMAC and forgotten-peer lines logged in 10 s of steady state"
for k in $(seq 1 "$N"); do
	read -r live drops < <(router_status "$k" '"\([.routers[] | select(.live)] | length) \(.hellos | del(.sent, .received) | add)"')
	expect_eq "$live" "$N" "routers r$k lists as live"
	expect_eq "$drops" 0 "hellos r$k dropped"
done
hz=$(getconf CLK_TCK)
paste <(echo "$cpu0" | tr ' ' '\n') <(echo "$cpu1" | tr ' ' '\n') |
	awk -v hz="$hz" -v s="$secs" '{ d = ($2 - $1) / hz / s * 100; t += d; if (d > m) m = d }
		END { printf "CPU of the 16 daemons over %.1f s: %.2f%% of one core in all, %.2f%% the most of one\n", s, t, m }'
rx r1 "$VGW" status --iface lan0 --json | jq -r '"r1 heard \(.hellos.received) hellos, sent \(.hellos.sent)"'
[ "$E2E_FAILED" = 0 ] || for k in 1 "$N"; do echo "--- r$k log"; daemon_log "$k" | grep -v ": vMAC " | tail -20; done
exit $E2E_FAILED
