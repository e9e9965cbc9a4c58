#!/usr/bin/env bash
# Split brain: the AVG and its standby stop hearing each other (nftables
# drops their hellos to each other; the forwarder hears both) for 5 s, so the
# standby becomes a second AVG and claims the AVG's vMACs; then the cut
# heals. Two hosts ping the server at 100/s throughout. After the heal:
# one AVG, no host waits longer than two hello intervals (plus one ping
# interval) for a reply, and no host loses more than 2% of its pings over the
# whole run, because every owner re-announces its vMACs to the switch when the
# group changes. (Before that rule, the host on the AVG's vMAC lost half.)
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT
HELLO=100
LIMIT=$((2 * HELLO + 10))

lan_create 3 2
for k in 1 2 3; do start_daemon "$k" --priority $((100 + k)) --hello-ms "$HELLO" --hold-ms 300; done
group_roles || fail "no AVG, standby and forwarder"
wait_for 10 "5 5 6 " owned_counts_sorted || fail "vMACs per router: got '$(owned_counts_sorted)', want '5 5 6 '"
nx srv ip route replace 10.77.0.0/24 via "10.78.0.$((1 + STANDBY))"
# h1 sends through a vMAC of the AVG (the one the standby claims in the split), h2 of the forwarder
v1=$(pin_host 1 "$AVG")
v2=$(pin_host 2 "$FORWARDER")
echo "h1 on vMAC $v1 (r$AVG, the AVG), h2 on vMAC $v2 (r$FORWARDER)"

declare -A out pid
for i in 1 2; do
	out[$i]=$(mktemp)
	ip netns exec "$(ns "h$i")" ping -D -i 0.01 -w 12 10.78.0.100 >"${out[$i]}" 2>&1 &
	pid[$i]=$!
done
sleep 1 # traffic before the cut, so its start is no gap
cut() { # K FROM: router K drops the hellos of router FROM
	rx "r$1" nft add table ip vgwsplit
	rx "r$1" nft add chain ip vgwsplit in '{ type filter hook input priority 0; }'
	rx "r$1" nft add rule ip vgwsplit in ip saddr "$(router_ip "$2")" udp dport 7667 drop
}
cut "$AVG" "$STANDBY"
cut "$STANDBY" "$AVG"
two_avgs() { [ "$(for k in 1 2 3; do router_status "$k" .role; done | grep -c avg)" = 2 ]; }
wait_true 5 two_avgs || fail "the cut did not split the group"
sleep 4 # the split lasts 5 s in all
heal_ms=$(now_ms)
rx "r$AVG" nft delete table ip vgwsplit
rx "r$STANDBY" nft delete table ip vgwsplit
wait_true 5 one_avg || fail "two AVGs 5 s after the heal"
echo "one AVG again after at most $(($(now_ms) - heal_ms)) ms (status polled)"
for i in 1 2; do wait "${pid[$i]}"; done
for i in 1 2; do
	# the longest silence between replies from the heal on (ping -D stamps in seconds)
	gap=$(max_reply_gap_ms "$heal_ms" <"${out[$i]}")
	all=$(max_reply_gap_ms <"${out[$i]}")
	loss=$(ping_file_loss "${out[$i]}")
	echo "h$i: longest gap after the heal ${gap} ms (whole run ${all} ms), loss ${loss}%"
	[ "$gap" -le "$LIMIT" ] || fail "h$i waited ${gap} ms for a reply after the heal (limit ${LIMIT})"
	expect_at_most "$loss" 2 "h$i's packet loss in percent"
	rm -f "${out[$i]}"
done
[ "$E2E_FAILED" = 0 ] || for k in 1 2 3; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC"; done
exit $E2E_FAILED
