#!/usr/bin/env bash
# Two routers, four hosts doing their own kernel ARP, XDP in mode $1 (native|skb):
# hosts cache vMACs (not router MACs) handed out round-robin by the AVG, the
# bridge learns each vMAC on its owner's port only, and each host's traffic
# reaches the upstream server through the router that owns its vMAC.
set -u
MODE=${1:-native}
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap lan_destroy EXIT

lan_create 2 4
load_two_routers "$MODE"
for k in 1 2; do
	expect_eq "$(router_status "$k" .xdp_mode)" "$MODE" "r$k XDP mode"
	rx "r$k" nft -f - <<-NFT
	table ip vgwtest {
		chain counting {
			type filter hook forward priority 0;
			ip saddr 10.77.0.11 icmp type echo-request counter
			ip saddr 10.77.0.12 icmp type echo-request counter
			ip saddr 10.77.0.13 icmp type echo-request counter
			ip saddr 10.77.0.14 icmp type echo-request counter
		}
	}
	NFT
done

# one host after the other, so the AVG's round-robin order is known
for i in 1 2 3 4; do
	nx "h$i" ping -c 3 -i 0.2 -W 2 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server"
done

r1mac=$(router_mac 1)
r2mac=$(router_mac 2)
owner_of=(x 1 2 1 2) # vMAC index -> router
for i in 1 2 3 4; do
	got=$(host_vip_mac "$i")
	expect_eq "$got" "$(vmac_of "$i")" "h$i's ARP entry for the vIP"
	expect_ne "$got" "$r1mac" "h$i cached r1's own MAC"
	expect_ne "$got" "$r2mac" "h$i cached r2's own MAC"
done

# the switch: every vMAC it knows sits on its owner's port, and only there
fdb=$(nx sw bridge -j fdb show br br0)
for v in 1 2 3 4; do
	ports=$(jq -r --arg m "$(vmac_of "$v")" '[.[] | select(.mac == $m) | .ifname] | sort | join(",")' <<<"$fdb")
	expect_eq "$ports" "r${owner_of[$v]}" "bridge ports that learned vMAC $v"
done

# forwarding: echo requests of host i crossed exactly its vMAC's owner
for k in 1 2; do
	counts=$(rx "r$k" nft -j list chain ip vgwtest counting | jq -r '[.nftables[] | select(.rule) | .rule.expr[] | select(.counter) | .counter.packets] | join(" ")')
	read -r -a c <<<"$counts"
	for i in 1 2 3 4; do
		want=0
		[ "${owner_of[$i]}" == "$k" ] && want=3
		expect_eq "${c[$((i - 1))]:-none}" "$want" "echo requests of h$i forwarded by r$k"
	done
done

# the per-vMAC counters say the same, to the byte (98-byte ICMP echo frames)
for v in 1 2 3 4; do
	k=${owner_of[$v]}
	expect_eq "$(router_status "$k" ".vmacs[$((v - 1))].packets")" 3 "r$k packets on vMAC $v"
	expect_eq "$(router_status "$k" ".vmacs[$((v - 1))].bytes")" 294 "r$k bytes on vMAC $v"
	expect_eq "$(router_status "$k" ".vmacs[$((v - 1))].state")" owned "r$k state of vMAC $v"
done
for k in 1 2; do
	expect_eq "$(router_status "$k" '[.vmacs[].misdelivered_packets] | add')" 0 "r$k misdelivered"
done
expect_eq "$(router_status 1 .arp.replies_avg)" 4 "broadcast ARPs answered by the AVG"
expect_eq "$(router_status 2 .arp.replies_avg)" 0 "broadcast ARPs answered by r2"
expect_eq "$(router_status 2 .arp.replies_dropped)" 4 "broadcast ARP answers suppressed on r2"
exit $E2E_FAILED
