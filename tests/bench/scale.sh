#!/usr/bin/env bash
# make bench, scale: a group at its largest, 16 routers (vgw run, each in its own
# namespace) with 256 vMACs, at 10/30 timers (each router hears 1,500 hellos a
# second). Prints, over SECS of steady state, each daemon's CPU (mean and the
# most of one) and memory (RSS), the hellos dropped, and whether anything moved.
# The AVG's work per balance round is vgw-bench-balance's.
set -u
SECS=${SECS:-10}
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../e2e/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT
N=16

lan_create "$N" 0
for k in $(seq 1 "$N"); do
	start_daemon "$k" --priority $((100 + k)) --vmacs 256 --hello-ms 10 --hold-ms 30 --poll-ms 100
done
all_own_16() { [ "$(owned_counts_sorted)" = "$(printf '16 %.0s' $(seq 1 "$N"))" ]; }
wait_true 60 all_own_16 || fail "vMACs per router after 60 s: '$(owned_counts_sorted)'"
logged() { local k; for k in $(seq 1 "$N"); do daemon_log "$k"; done | grep -cE ': role |silent past|: vMAC [0-9]+ '; }
cpu_ticks() { local k; for k in $(seq 1 "$N"); do awk '{ print $14 + $15 }' "/proc/${DAEMON_PID[$k]}/stat"; done | paste -sd' '; }
drops() { local k; for k in $(seq 1 "$N"); do router_status "$k" '.hellos | del(.sent, .received) | add'; done | awk '{ t += $1 } END { print t + 0 }'; }
before=$(logged)
d0=$(drops)
cpu0=$(cpu_ticks)
t0=$(now_ms)
sleep "$SECS" # the steady state measured
cpu1=$(cpu_ticks)
secs=$(echo "$(now_ms) $t0" | awk '{ print ($1 - $2) / 1000 }')
rss=$(for k in $(seq 1 "$N"); do awk '/^VmRSS/ { print $2 }' "/proc/${DAEMON_PID[$k]}/status"; done | sort -n | paste -sd' ')
hz=$(getconf CLK_TCK)
echo "scale: 16 routers x 256 vMACs at 10/30 (vgw run each), ${secs} s of steady state:"
paste <(echo "$cpu0" | tr ' ' '\n') <(echo "$cpu1" | tr ' ' '\n') |
	awk -v hz="$hz" -v s="$secs" '{ d = ($2 - $1) / hz / s * 100; t += d; if (d > m) m = d }
		END { printf "  CPU: %.1f%% of one core per daemon on average, %.1f%% the most (%.0f%% for all 16)\n", t / NR, m, t }'
echo "$rss" | awk '{ printf "  memory (RSS): %d to %d KiB per daemon\n", $1, $NF }'
echo "  hellos dropped meanwhile: $(($(drops) - d0)); role, vMAC or lost-peer lines logged: $(($(logged) - before))"
exit $E2E_FAILED
