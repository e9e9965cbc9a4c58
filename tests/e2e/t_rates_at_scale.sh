#!/usr/bin/env bash
# Rates at scale: two routers share a 256-vMAC pool and a host sends to
# every vMAC. More rates than fit one hello: each router reports them in
# turn, and the AVG's status shows a measured rate for all 256.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT
SEND=$(dirname "$VGW")/vgw-vmac-send
OPTS=(--hello-ms 100 --hold-ms 300 --vmacs 256 --poll-ms 200 --smoothing-ms 500 --balance-min-pps 100000000)

lan_create 2 1
start_daemon 2 --priority 200 "${OPTS[@]}"
wait_for 10 avg router_status 2 .role || fail "r2 never became the AVG"
start_daemon 1 --priority 100 "${OPTS[@]}"
wait_owned "128 128"
nx h1 "$SEND" eth0 1 256 20 20 &
sender=$!
rated() { router_status 2 '[.vmacs[] | select(.pps > 0)] | length'; }
wait_for 15 256 rated || fail "vMACs with a rate in the AVG's status: got $(rated), want 256"
echo "vMACs with a rate at the AVG: $(rated) of 256; r1 reports $(router_status 1 '[.vmacs[] | select(.state == "owned" and .pps > 0)] | length') of its own"
kill "$sender" 2>/dev/null
wait "$sender" 2>/dev/null
[ "$E2E_FAILED" = 0 ] || for k in 1 2; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC"; done
exit $E2E_FAILED
