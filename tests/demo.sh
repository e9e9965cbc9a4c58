#!/usr/bin/env bash
# make demo: two vgw routers serving one vIP to six hosts on a Linux bridge,
# with static vMAC ownership from `vgw load`. Every host ARPs through its own
# kernel, sends traffic to an upstream server, and each router's `vgw status`
# shows what it carried. Everything is torn down at the end, or on Ctrl-C.
set -eu
LAN_ID=demo$$
. "$(dirname "$0")/e2e/lib.sh"
trap 'lan_destroy' EXIT
trap 'echo; echo "interrupted: cleaning up"; exit 130' INT TERM

HOSTS=6
say() { printf '\n\033[1m%s\033[0m\n' "$*"; }

say "Building the LAN: bridge sw, routers r1 r2, hosts h1..h$HOSTS, server srv 10.78.0.100"
lan_create 2 "$HOSTS"

say "r1: vgw load --vmacs 8 --own 1,2,3,4 --avg      r2: vgw load --vmacs 8 --own 5,6,7,8"
rx r1 "$VGW" load --iface lan0 --group 1 --vip "$VIP" --vmacs 8 --own 1,2,3,4 --avg
rx r2 "$VGW" load --iface lan0 --group 1 --vip "$VIP" --vmacs 8 --own 5,6,7,8

say "Each host resolves the gateway $VIP through its own kernel's ARP"
for i in $(seq 1 "$HOSTS"); do
	nx "h$i" ping -c 1 -W 2 -q 10.78.0.100 >/dev/null
	printf '  h%d (%s): %s is at %s\n' "$i" "$(host_ip "$i")" "$VIP" "$(host_vip_mac "$i")"
done
printf '  (r1 is %s, r2 is %s: no host uses a router'"'"'s own MAC)\n' "$(router_mac 1)" "$(router_mac 2)"

say "Traffic: host i sends i*40 pings of 200+i*100 bytes to the server"
for i in $(seq 1 "$HOSTS"); do
	nx "h$i" ping -q -c $((i * 40)) -i 0.005 -s $((200 + i * 100)) -w 20 10.78.0.100 |
		sed -n "s/^/  h$i: /;/packets transmitted/p" &
done
wait

for k in 1 2; do
	say "r$k# vgw status --iface lan0"
	rx "r$k" "$VGW" status --iface lan0
done

say "The group, Table 2 style: each vMAC's share of all traffic, per router"
{
	router_status 1 -c '.'
	router_status 2 -c '.'
} | jq -rs '
	([.[].vmacs[] | select(.state == "owned") | .bytes] | add) as $total
	| .[] | . as $r
	| "  router \($r.router_id)\(if $r.avg then " (AVG)" else "" end)",
	  ($r.vmacs[] | select(.state == "owned")
	   | "    \(.mac)  \(.bytes | tostring | (" " * (9 - length)) + .) bytes  \(100 * .bytes / $total | . * 10 | round / 10)%"),
	  "    total \([$r.vmacs[] | select(.state == "owned") | .bytes] | add) bytes  \(100 * ([$r.vmacs[] | select(.state == "owned") | .bytes] | add) / $total | . * 10 | round / 10)%"'

say "r1# bpftool map dump pinned /sys/fs/bpf/vgw/lan0/vmac_table (first entries)"
rx r1 bpftool map dump pinned /sys/fs/bpf/vgw/lan0/vmac_table | head -n 24

say "Unloading and tearing the LAN down"
rx r1 "$VGW" unload --iface lan0
rx r2 "$VGW" unload --iface lan0
