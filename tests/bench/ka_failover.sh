#!/usr/bin/env bash
# One keepalived trial for make bench-failover: Debian's keepalived (VRRPv3, no
# vMAC) on two routers of the namespace LAN with advert ADVERT seconds, a host
# pinging the server through the master; the master's LAN link goes down, as in
# t_failover.sh for vgw. Prints "keepalived master failover at ADVERT s: longest
# gap N ms, loss P%". A backup's failure stops nothing under VRRP (only the master
# forwards), so there is no forwarder case to measure.
set -u
ADVERT=${1:-0.1}
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../e2e/assert.sh"
KA_DIR=$(mktemp -d)
KA_ADVERT=$ADVERT
trap 'ka_stop_all; lan_destroy; rm -rf "$KA_DIR"' EXIT

has_vip24() { rx "r$1" ip -4 -o addr show dev lan0 | grep -q " $VIP/24 " && echo yes; }

lan_create 2 1
ka_start 1 150
ka_start 2 100
wait_for 20 yes has_vip24 1 || fail "r1 never became master"
# replies return through the backup, who survives
nx srv ip route replace 10.77.0.0/24 via 10.78.0.3
nx h1 ping -c 3 -i 0.2 -W 1 -q 10.78.0.100 >/dev/null || fail "h1 cannot reach the server through r1"

INTERVAL=$(awk -v a="$ADVERT" 'BEGIN { print (a <= 0.01) ? 0.002 : 0.01 }')
secs=$(awk -v a="$ADVERT" 'BEGIN { print int(a * 6 + 3) }')
out=$(mktemp)
nx h1 ping -D -i "$INTERVAL" -w "$secs" 10.78.0.100 >"$out" 2>&1 &
pid=$!
wait_for 5 yes sh -c "[ \$(grep -c 'bytes from' '$out') -ge 20 ] && echo yes" || fail "h1's pings did not start"
rx r1 ip link set lan0 down
wait "$pid"
gap=$(max_reply_gap_ms <"$out")
echo "keepalived master failover at $ADVERT s: longest gap $gap ms, loss $(ping_file_loss "$out")%"
[ "$(tail -n 5 "$out" | grep -c 'bytes from')" -ge 1 ] || fail "no replies after the master failed"
rm -f "$out"
exit $E2E_FAILED
