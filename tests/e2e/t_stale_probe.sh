#!/usr/bin/env bash
# A host whose entry for the vIP went STALE re-validates it with unicast ARP
# to the vMAC it cached, which reaches that vMAC's owner (not the AVG). The
# owner answers with the same vMAC, so the host stays where it was. (Reachable
# time 1-3 s, longer than delay_first_probe_time, so the entry really goes
# STALE instead of cycling through DELAY on its own.)
set -u
MODE=${1:-native}
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap lan_destroy EXIT

lan_create 2 2
load_two_routers "$MODE"
nx h2 sysctl -qw net.ipv4.neigh.eth0.base_reachable_time_ms=2000 net.ipv4.neigh.eth0.delay_first_probe_time=1

nx h1 ping -c 1 -W 2 -q 10.78.0.100 >/dev/null || fail "h1 cannot reach the server"
nx h2 ping -c 1 -W 2 -q 10.78.0.100 >/dev/null || fail "h2 cannot reach the server"
expect_eq "$(host_vip_mac 2)" "$(vmac_of 2)" "h2's vMAC, owned by r2"

wait_for 10 STALE host_vip_state 2 || fail "h2's entry never went STALE"
nx h2 ping -c 1 -W 2 -q 10.78.0.100 >/dev/null || fail "h2 cannot reach the server while STALE"
wait_for 10 REACHABLE host_vip_state 2 || fail "h2's entry never re-validated (state $(host_vip_state 2))"

expect_eq "$(host_vip_mac 2)" "$(vmac_of 2)" "h2's vMAC after its unicast probe"
expect_eq "$(router_status 2 .arp.probes_remembered)" 1 "probes r2 remembered"
expect_eq "$(router_status 2 .arp.replies_probe)" 1 "probes r2 answered with the probed vMAC"
expect_eq "$(router_status 1 .arp.replies_avg)" 2 "broadcast ARPs the AVG answered (no fallback)"
exit $E2E_FAILED
