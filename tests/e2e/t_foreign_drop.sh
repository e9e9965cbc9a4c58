#!/usr/bin/env bash
# Once the switch forgets a vMAC, frames to it flood to every router; the
# non-owner drops and counts them, the owner forwards them, nothing doubles.
set -u
MODE=${1:-native}
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap lan_destroy EXIT

lan_create 2 2
load_two_routers "$MODE"
nx h1 ping -c 1 -W 2 -q 10.78.0.100 >/dev/null || fail "h1 cannot reach the server"
nx h2 ping -c 1 -W 2 -q 10.78.0.100 >/dev/null || fail "h2 cannot reach the server"
expect_eq "$(host_vip_mac 2)" "$(vmac_of 2)" "h2's vMAC"

# the switch ages vMAC 2 out: its frames now reach r1 as well
nx sw bridge fdb del "$(vmac_of 2)" dev r2 master || fail "forget vMAC 2"
before=$(router_status 2 '.vmacs[1].packets')
out=$(nx h2 ping -c 5 -i 0.2 -W 2 10.78.0.100)
expect_match "$out" "5 packets transmitted, 5 received" "h2's pings through flooded vMAC 2"
[[ "$out" == *DUP* ]] && fail "duplicate replies: a non-owner forwarded too"
expect_eq "$(router_status 1 '.vmacs[1].misdelivered_packets')" 5 "frames to vMAC 2 dropped by r1"
expect_eq "$(router_status 1 '.vmacs[1].misdelivered_bytes')" 490 "bytes to vMAC 2 dropped by r1"
expect_eq "$(router_status 1 '.vmacs[1].packets')" 0 "frames to vMAC 2 accepted by r1"
expect_eq "$(( $(router_status 2 '.vmacs[1].packets') - before ))" 5 "frames to vMAC 2 forwarded by r2"
exit $E2E_FAILED
