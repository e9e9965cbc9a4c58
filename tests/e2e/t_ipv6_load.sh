#!/usr/bin/env bash
# `vgw load --vip6 --vip6-global`: both addresses go on the interface as /128
# without DAD (every router holds them), status shows them, unload takes them away
# and leaves the interface as it was; an address that was there stays. Without IPv6
# on the interface, --vip6 gets one error line and nothing is left attached.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap lan_destroy EXIT
LOAD=(load --iface lan0 --group 1 --vip "$VIP" --vip6 fe80::1 --vip6-global fd00:77::1 --vmacs 4 --own 1,3 --avg)

lan_create 1 1

# 1. IPv6 off on lan0 (as lan_create leaves it): refused, cleanly
before=$(iface_snapshot 1)
out=$(rx r1 "$VGW" "${LOAD[@]}" 2>&1)
rc=$?
expect_ne "$rc" 0 "exit code of load --vip6 without IPv6"
expect_eq "$(echo "$out" | wc -l)" 1 "lines of the error"
expect_match "$out" "has no IPv6 link-local address of its own" "the error"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "after the refused load"

# 2. IPv6 on: both addresses added, nodad; unload removes them
lan_ipv6
before=$(iface_snapshot 1)
rx r1 "$VGW" "${LOAD[@]}" >/dev/null || fail "load --vip6"
addrs=$(rx r1 ip -6 addr show dev lan0)
expect_match "$addrs" "inet6 fe80::1/128 scope link nodad" "the virtual link-local"
expect_match "$addrs" "inet6 fd00:77::1/128 scope global nodad" "the virtual global address"
expect_match "$(rx r1 "$VGW" status --iface lan0)" "vIP 10.77.0.1, vIP6 fe80::1 fd00:77::1, router 10.77.0.2 \(AVG: answers ARP and ND\)" "status"
expect_eq "$(router_status 1 .vip6_global)" fd00:77::1 "status .vip6_global"
rx r1 "$VGW" unload --iface lan0 >/dev/null || fail "unload"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "after unload"
rx r1 ip -6 addr show dev lan0 | grep -q "fe80::1/128" && fail "fe80::1 left after unload"

# 3. fe80::1 there already (the operator's): it stays after unload
rx r1 ip addr add fe80::1/64 dev lan0 nodad
rx r1 "$VGW" "${LOAD[@]}" >/dev/null || fail "load with fe80::1 present"
rx r1 "$VGW" unload --iface lan0 >/dev/null || fail "unload"
rx r1 ip -6 addr show dev lan0 | grep -q "inet6 fe80::1/64" || fail "the operator's fe80::1 was removed"
rx r1 ip -6 addr show dev lan0 | grep -q "fd00:77::1/128" && fail "fd00:77::1 left after unload"
exit $E2E_FAILED
