#!/usr/bin/env bash
# vgw run --metrics: a scrape of /metrics passes `promtool check metrics`
# (Debian's prometheus) and carries the values vgw status shows (routers,
# role, every vMAC's counters, hellos); other paths get 404, other methods
# 405. Scrapers that hold connections open (more than the server takes, and
# one sending its request a byte a second) stall neither the hello loop nor
# the group, and a scrape works once they are gone. A port already in use is
# one error line and exit 1, and the running daemon is untouched.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
HOSTILE=()
trap 'for p in "${HOSTILE[@]}"; do kill "$p" 2>/dev/null; done; stop_all_daemons; lan_destroy' EXIT

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PROMTOOL=$ROOT/build/tools/promtool # (tests/tools/deps.sh unpacks it from Debian's prometheus)
URL=http://127.0.0.1:9767
scrape() { rx r1 curl -sS --max-time 5 "$URL${1:-/metrics}"; }
http_code() { rx r1 curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$@"; }
# metric NAME [LABELS-REGEX]: the value of the first sample that matches
metric() {
	local text
	text=$(scrape)
	echo "$text" | grep -E "^$1\{[^}]*${2:-}[^}]*\} " | head -1 | awk '{print $2}'
}

lan_create 2 2
start_daemon 1 --priority 200 --hello-ms 100 --hold-ms 300 --metrics 127.0.0.1:9767
start_daemon 2 --priority 100 --hello-ms 100 --hold-ms 300
wait_for 10 avg router_status 1 .role || fail "r1 never became the AVG: $(daemon_log 1 | tail -3)"
wait_for 10 "8 8 " owned_counts_sorted || fail "vMACs per router: $(owned_counts_sorted)"
for i in 1 2; do
	nx "h$i" ping -c 20 -i 0.01 -W 1 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server"
done

out=$(scrape) || fail "no scrape"
lint=$(echo "$out" | "$PROMTOOL" check metrics 2>&1)
expect_eq "$?:$lint" "0:" "promtool check metrics"
expect_eq "$(echo "$out" | grep -c '^vgw_vmac_packets_total{')" 16 "vgw_vmac_packets_total samples"
expect_eq "$(metric vgw_routers)" 2 "vgw_routers"
expect_eq "$(metric vgw_role 'role="avg"')" 1 "vgw_role{role=avg}"
expect_eq "$(metric vgw_role 'role="listen"')" 0 "vgw_role{role=listen}"
expect_eq "$(metric vgw_router_target_ratio 'router="10.77.0.3"')" 0.5 "r2's target"
expect_match "$(echo "$out" | grep '^vgw_info')" 'vip="10.77.0.1",router="10.77.0.2",version="[0-9.]+"} 1$' "vgw_info"
expect_ge "$(echo "$out" | awk '/^vgw_hellos_sent_total/ {print $2}')" 1 "hellos sent"
expect_eq "$(echo "$out" | grep -c '^vgw_hellos_dropped_total{.*reason="replayed"} 0$')" 1 "replayed hellos"
# the counters are the maps' (no traffic flows now: the two must agree exactly)
status=$(rx r1 "$VGW" status --iface lan0 --json)
for v in $(seq 1 16); do
	want=$(echo "$status" | jq -r ".vmacs[$((v - 1))] | \"\(.packets) \(.bytes) \(.owner)\"")
	got=$(echo "$out" | awk -v i="index=\"$v\"" '
		index($0, i) && /^vgw_vmac_packets_total/ {p = $2; match($0, /owner="[^"]*"/); o = substr($0, RSTART + 7, RLENGTH - 8)}
		index($0, i) && /^vgw_vmac_bytes_total/ {b = $2}
		END {print p, b, o}')
	expect_eq "$got" "$want" "vMAC $v: packets, bytes, owner in /metrics and vgw status"
done
echo "an excerpt of r1's /metrics (promtool: ${lint:-no complaint}):"
echo "$out" | grep -E '^vgw_(role|routers|router_share_ratio|router_target_ratio|hellos_sent_total|balance_rounds_total|arp_replies_total|daemon_heartbeat_age_seconds)\{' |
	grep -v ' 0$' | sed 's/^/    /'
echo "$out" | grep -m2 '^vgw_vmac_packets_total{' | sed 's/^/    /'
expect_ge "$(echo "$out" | awk '/^vgw_vmac_packets_total/ {s += $2} END {print s}')" 20 "packets counted (a host or two on r1's vMACs)"
expect_eq "$(http_code "$URL/")" 404 "GET /"
expect_eq "$(http_code -X POST "$URL/metrics")" 405 "POST /metrics"

# hostile scrapers: 20 idle connections and a request sent a byte a second
for c in $(seq 1 20); do
	rx r1 bash -c 'exec 3<>/dev/tcp/127.0.0.1/9767 && sleep 8' 2>/dev/null &
	HOSTILE+=($!)
done
rx r1 bash -c 'exec 3<>/dev/tcp/127.0.0.1/9767; for c in G E T " " /; do printf %s "$c" >&3; sleep 1; done' 2>/dev/null &
HOSTILE+=($!)
sent0=$(router_status 1 .hellos.sent)
t0=$(now_ms)
while [ $(($(now_ms) - t0)) -lt 3000 ]; do sleep 0.2; done
sent1=$(router_status 1 .hellos.sent)
# 30 hellos are due in 3 s; a loop that waited on a scraper would send none
expect_ge $((sent1 - sent0)) 15 "r1's hellos sent in 3 s under hostile scrapers"
expect_eq "$(router_status 2 '[.routers[] | select(.live)] | length')" 2 "routers r2 sees"
expect_eq "$(daemon_log 2 | grep -c 'role avg')" 0 "r2 never took the AVG role"
for p in "${HOSTILE[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
HOSTILE=()
scrape_ok() { scrape | grep -q '^vgw_routers{'; }
wait_true 10 scrape_ok || fail "no scrape once the hostile scrapers left"

# a second vgw run on the same port: one line, exit 1, the first untouched
before=$(iface_snapshot 1)
out=$(rx r1 "$VGW" run --iface lan0 --group 1 --vip "$VIP" --metrics 127.0.0.1:9767 2>&1)
expect_eq "$?" 1 "exit code with the port in use"
expect_eq "$out" "vgw: error: --metrics: cannot listen on 127.0.0.1:9767: Address already in use" "the error line"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "r1 after the refused run"
expect_eq "$(router_status 1 .role)" avg "r1's role after the refused run"
scrape_ok || fail "r1's metrics after the refused run"
[ "$E2E_FAILED" = 0 ] || for k in 1 2; do echo "--- r$k log"; daemon_log "$k"; done
exit $E2E_FAILED
