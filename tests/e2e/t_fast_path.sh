#!/usr/bin/env bash
# --fast-path, XDP in mode $1 (native|skb), two routers under vgw run, four hosts.
# Owned frames are forwarded in XDP and skip the routers' nftables forward chain
# (which counts exactly the frames left to the kernel), each of them is either
# forwarded or counted under a fallback reason, TTL 1 and too-big frames still
# get the kernel's ICMP answers, an upstream veth whose peer loses its XDP
# program leaves the fast path (and comes back), and a forwarder's failure with
# the fast path on is covered as without it.
set -u
MODE=${1:-native}
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT
EMPTY_XDP=$(dirname "$VGW")/empty.bpf.o

lan_create 2 4
# A veth takes redirected XDP frames only while its peer runs an XDP program:
# give the server's side of each router's up0 one that passes everything.
for k in 1 2; do
	nx srv ip link set "r$k" xdp obj "$EMPTY_XDP" sec xdp || fail "XDP on srv's r$k"
	rx "r$k" nft -f - <<-NFT
	table ip vgwtest {
		chain counting {
			type filter hook forward priority 0;
			iifname "lan0" icmp type echo-request counter
		}
	}
	NFT
done
nx srv ip route replace 10.77.0.0/24 via 10.78.0.2
for k in 1 2; do
	start_daemon "$k" --priority $((100 + k)) --hello-ms 100 --hold-ms 300 --vmacs 4 \
		--mode "$MODE" --fast-path
done
wait_for 10 "2 2 " owned_counts_sorted || fail "vMACs per router: got '$(owned_counts_sorted)'"
for k in 1 2; do
	wait_for 5 '["up0"]' router_status "$k" -c .fast_path.ports || fail "r$k fast path ports"
	expect_match "$(daemon_log "$k")" "lan0: fast path to up0" "r$k logs its egress ports"
	expect_match "$(daemon_log "$k")" "nftables chain ip vgwtest counting \(hook forward, 1 rules\) never sees them" \
		"r$k warns of the forward chain it bypasses"
done

fwd_counted() { # K: echo requests router K's kernel forwarded
	rx "r$1" nft -j list chain ip vgwtest counting | jq -r '[.nftables[] | select(.rule) | .rule.expr[] | select(.counter) | .counter.packets] | add'
}
fast_sum() { # JQ: a fast path figure summed over both routers
	echo $(($(router_status 1 "$1") + $(router_status 2 "$1")))
}
replies_at_least() { # FILE N: "yes" once ping -D output FILE holds N replies
	[ "$(grep -c 'bytes from' "$1")" -ge "$2" ] && echo yes
}
above() { # K JQ N: "yes" once router K's figure is above N
	[ "$(router_status "$1" "$2")" -gt "$3" ] && echo yes
}

# 1. 4 hosts x 25 echo requests: every one reaches the server, and each router's
# frames to owned vMACs were forwarded in XDP or left to the kernel, never lost
for i in 1 2 3 4; do
	nx "h$i" ping -c 25 -i 0.02 -W 2 -q 10.78.0.100 >"$LAN_LOGDIR/ping$i" 2>&1 &
	PING_PID[$i]=$!
done
for i in 1 2 3 4; do
	wait "${PING_PID[$i]}" || fail "h$i lost echo replies: $(tail -n 2 "$LAN_LOGDIR/ping$i")"
	unset "PING_PID[$i]"
done
for k in 1 2; do
	st=$(rx "r$k" "$VGW" status --iface lan0 --json)
	pkts=$(jq '[.vmacs[] | select(.state == "owned") | .packets] | add' <<<"$st")
	fwd=$(jq .fast_path.forwarded_packets <<<"$st")
	fb=$(jq '[.fast_path.fallback[]] | add' <<<"$st")
	echo "r$k: $pkts frames to owned vMACs, $fwd forwarded in XDP, $fb left to the kernel ($(jq -c '.fast_path.fallback | with_entries(select(.value > 0))' <<<"$st"))"
	expect_eq $((fwd + fb)) "$pkts" "r$k: forwarded + left to the kernel = frames to owned vMACs"
	expect_eq "$(fwd_counted "$k")" "$(jq '.fast_path.fallback.no_neigh' <<<"$st")" \
		"r$k: echo requests its forward chain saw = those left for want of a neighbour"
done
expect_eq $(($(fast_sum .fast_path.forwarded_packets) + $(fwd_counted 1) + $(fwd_counted 2))) 100 \
	"echo requests forwarded in XDP or by the kernel"
[ "$(fast_sum .fast_path.forwarded_packets)" -ge 96 ] || fail "fewer than 96 of 100 in XDP"

# 2. what needs the kernel gets it: time exceeded for TTL 1, frag-needed for too big
owner=$(owner_router "$(host_vmac_index 1)")
before=$(router_status "$owner" .fast_path.fallback.ttl)
out=$(nx h1 ping -c 1 -t 1 -W 2 10.78.0.100 2>&1)
expect_match "$out" "Time to live exceeded" "h1's TTL 1 ping gets the router's ICMP"
expect_eq "$(router_status "$owner" .fast_path.fallback.ttl)" $((before + 1)) "r$owner ttl fallbacks"
rx "r$owner" ip link set up0 mtu 1400
before=$(router_status "$owner" .fast_path.fallback.mtu)
out=$(nx h1 ping -c 1 -M do -s 1400 -W 2 10.78.0.100 2>&1)
expect_match "$out" "mtu = 1400" "h1's too-big ping gets the router's frag-needed"
expect_eq "$(router_status "$owner" .fast_path.fallback.mtu)" $((before + 1)) "r$owner mtu fallbacks"
rx "r$owner" ip link set up0 mtu 1500

# 3. the peer of r$owner's up0 loses its XDP program: up0 leaves the fast path at
# once (a frame redirected to it now would be dropped), traffic takes the kernel's
# path; the program back, up0 is back. h1 pings all along.
nx h1 ping -D -i 0.01 -w 3 10.78.0.100 >"$LAN_LOGDIR/watch" 2>&1 &
PING_PID[1]=$!
wait_for 5 yes replies_at_least "$LAN_LOGDIR/watch" 50 ||
	fail "h1's pings did not start"
nx srv ip link set "r$owner" xdp off
wait_for 5 '[]' router_status "$owner" -c .fast_path.ports || fail "up0 still in the fast path"
expect_match "$(daemon_log "$owner")" "up0 is gone, down or takes no XDP frames now" "r$owner logs up0 leaving"
before=$(router_status "$owner" .fast_path.fallback.no_port)
wait_for 5 yes above "$owner" .fast_path.fallback.no_port "$before" ||
	fail "r$owner: no frames left to the kernel for want of a port"
nx srv ip link set "r$owner" xdp obj "$EMPTY_XDP" sec xdp
wait_for 5 '["up0"]' router_status "$owner" -c .fast_path.ports || fail "up0 not back in the fast path"
expect_match "$(daemon_log "$owner")" "up0 takes XDP frames now" "r$owner logs up0 coming back"
wait "${PING_PID[1]}"
unset "PING_PID[1]"
loss=$(ping_file_loss "$LAN_LOGDIR/watch")
echo "h1 through r$owner's port leaving and coming back: loss ${loss}%, longest gap $(max_reply_gap_ms <"$LAN_LOGDIR/watch") ms"
expect_at_most "$loss" 2 "h1's loss while up0 left and came back"

# 4. a router's LAN link fails: the other takes its vMACs and forwards them in XDP
other=$((3 - owner))
nx srv ip route replace 10.77.0.0/24 via "10.78.0.$((1 + other))"
before=$(router_status "$other" .fast_path.forwarded_packets)
nx h1 ping -D -i 0.01 -w 3 10.78.0.100 >"$LAN_LOGDIR/failover" 2>&1 &
PING_PID[1]=$!
wait_for 5 yes replies_at_least "$LAN_LOGDIR/failover" 50 || fail "h1's pings did not start"
rx "r$owner" ip link set lan0 down
wait "${PING_PID[1]}"
unset "PING_PID[1]"
gap=$(max_reply_gap_ms <"$LAN_LOGDIR/failover")
echo "h1 through r$owner's failure (fast path on): longest gap $gap ms, loss $(ping_file_loss "$LAN_LOGDIR/failover")%"
expect_at_most "$gap" 410 "longest gap at 100/300 with the fast path"
[ "$(router_status "$other" .fast_path.forwarded_packets)" -gt $((before + 50)) ] ||
	fail "r$other did not forward h1's vMAC in XDP after the failover"
exit $E2E_FAILED
