#!/usr/bin/env bash
# IPv6 hosts behind the group, as they come (accept_ra, SLAAC): radvd on every router
# sends RAs from the virtual link-local without a link-layer option (docs/ipv6.md).
# Hosts' only default route is via fe80::1; they resolve it by NS to different vMACs
# (the NA leaves with the router's own MAC as Ethernet source); ping -6 goes through
# the vMAC's owner; a STALE entry is re-validated without moving; forwarder and AVG
# failover keep the hosts' entries and are no longer than IPv4's (hold + hello; 50 ms
# at 10/30). dual: IPv4 and IPv6 on the LAN, IPv4 hellos; v6only: no IPv4 on the LAN,
# hellos over IPv6 link-local multicast, router ids by --router-id, and balancing on
# IPv6 traffic alone. dual also checks the RA guard (a radvd without AdvRASrcAddress).
# e2e-params: dual:100/300 v6only:100/300 v6only:10/30
set -u
PARAM=${1:-dual:100/300}
MODE=${PARAM%%:*}
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'flows_kill; radvd_stop_all; stop_all_daemons; lan_destroy' EXIT
failover_timers "${PARAM#*:}"

# nd_at_least K NAME N: router K's ND counter NAME is N or more
nd_at_least() { [ "$(router_status "$1" ".nd.$2")" -ge "$3" ]; }
ra_misconfig_dropped() { [ "$(router_status "$1" '.nd.ra_foreign_dropped + .nd.ra_sllao_dropped')" -ge 1 ]; }

lan_create 3 4
lan_ipv6 "$MODE"
for k in 1 2 3; do
	if [ "$MODE" = v6only ]; then
		start_daemon6 "$k" --priority $((100 + k)) --hello-ms "$HELLO" --hold-ms "$HOLD"
	else
		start_daemon "$k" --vip6 "$VIP6" --priority $((100 + k)) --hello-ms "$HELLO" --hold-ms "$HOLD"
	fi
done
group_roles || fail "no AVG, standby and forwarder: $(daemon_log 1 | tail -3)"
wait_for 10 "5 5 6 " owned_counts_sorted || fail "vMACs per router: got '$(owned_counts_sorted)'"
want_hellos=IPv4
[ "$MODE" = v6only ] && want_hellos=IPv6
daemon_log 1 | grep -q "hellos over $want_hellos" || fail "r1 does not say its hellos go over $want_hellos"
expect_eq "$(router_status 1 .vip6)" "$VIP6" "vgw status .vip6"
[ "$MODE" = v6only ] && expect_eq "$(router_status 1 .vip)" null "vgw status .vip on an IPv6-only LAN"
nx srv ip -6 route replace fd00:77::/64 via "fd00:78::$((1 + STANDBY))"

# h4 watches its own first resolution of the gateway
CAP="$LAN_LOGDIR/na.txt"
ip netns exec "$(ns h4)" timeout 60 tcpdump -l -n -e -vv -i eth0 'icmp6 and ip6[40] == 136' \
	>"$CAP" 2>"$CAP.err" &
TCPDUMP=$!
wait_true 5 grep -q "listening on" "$CAP.err" || fail "tcpdump did not start: $(cat "$CAP.err")"

for k in 1 2 3; do radvd_start "$k"; done
for i in 1 2 3 4; do
	wait_true 20 host_has_addr6 "$i" || fail "h$i got no SLAAC address from the RAs"
	wait_for 10 "$VIP6 eth0" host_default6 "$i" ||
		fail "h$i default routes: '$(host_default6 "$i" | tr '\n' ';')', want only via $VIP6"
done
echo "h1: ip -6 route: $(nx h1 ip -6 route show default)"

# each host resolves the gateway and pings through the owner of the vMAC it got
declare -A SEEN
for i in 1 2 3 4; do
	nx "h$i" ping -6 -c 1 -W 2 -q "$SRV6" >/dev/null || fail "h$i cannot ping $SRV6"
	mac=$(host_vip6_mac "$i")
	case "$mac" in 02:76:67:00:10:*) ;; *) fail "h$i has '$mac' for $VIP6, not a vMAC" ;; esac
	SEEN[$mac]=1
done
echo "h1: ip -6 neigh: $(nx h1 ip -6 neigh show "$VIP6" dev eth0)"
[ "${#SEEN[@]}" -ge 3 ] || fail "4 hosts resolved $VIP6 to ${#SEEN[@]} vMACs: ${!SEEN[*]}"
v=$(host_vmac6_index 1)
owner=$(owner_router "$v")
before=$(router_status "$owner" ".vmacs[$((v - 1))].packets")
nx h1 ping -6 -c 20 -i 0.01 -q "$SRV6" >/dev/null || fail "h1: ping -6 lost replies"
after=$(router_status "$owner" ".vmacs[$((v - 1))].packets")
[ $((after - before)) -ge 20 ] || fail "r$owner counted $((after - before)) packets on vMAC $v, want >= 20"

# the NA h4 got: a vMAC in the option, the AVG's own MAC as Ethernet source, R S O set
kill "$TCPDUMP" 2>/dev/null
wait "$TCPDUMP" 2>/dev/null
na=$(grep -A3 "tgt is $VIP6" "$CAP" | tr -s ' \n\t' ' ' | head -c 600)
echo "NA to h4: $na"
case "$na" in *"$(router_mac "$AVG") >"*) ;; *) fail "the NA's Ethernet source is not the AVG's own MAC: $na" ;; esac
case "$na" in *"Flags [router, solicited, override]"*) ;; *) fail "the NA's flags are not R S O: $na" ;; esac
case "$na" in *"link-address option (2), length 8 (1): $(host_vip6_mac 4)"*) ;;
*) fail "the NA's target link-layer option is not h4's vMAC $(host_vip6_mac 4): $na" ;; esac
case "$na" in *"bad icmp6 cksum"*) fail "the NA's checksum is bad: $na" ;; esac
[ "$(router_status "$AVG" .nd.replies_avg)" -ge 4 ] || fail "the AVG answered $(router_status "$AVG" .nd.replies_avg) NS, want >= 4"

# NUD: a STALE entry is re-validated by unicast NS to the vMAC, and stays
mac=$(host_vip6_mac 2)
v=$(host_vmac6_index 2)
owner=$(owner_router "$v")
probes=$(router_status "$owner" .nd.probes_remembered)
nx h2 ip -6 neigh change "$VIP6" dev eth0 nud stale
expect_eq "$(host_vip6_state 2)" STALE "h2's entry before NUD"
nx h2 ping -6 -c 1 -W 2 -q "$SRV6" >/dev/null
wait_for 10 REACHABLE host_vip6_state 2 || fail "h2's entry is $(host_vip6_state 2), not re-validated"
expect_eq "$(host_vip6_mac 2)" "$mac" "h2's vMAC after NUD"
[ "$(router_status "$owner" .nd.probes_remembered)" -gt "$probes" ] ||
	fail "r$owner (owner of vMAC $v) saw no NUD probe"

# The RA guard, on the forwarder: radvd's last RA when it stops (lifetime 0 from the
# virtual link-local) would take every host's default route; a radvd without
# AdvRASrcAddress sends from a link-local the kernel picks, with the router's MAC.
# Both are held back; the others' RAs keep the hosts' one default route.
if [ "$MODE" = dual ]; then
	radvd_stop "$FORWARDER"
	wait_true 5 nd_at_least "$FORWARDER" ra_withdraw_dropped 1 ||
		fail "r$FORWARDER let radvd's final RA (lifetime 0) out"
	radvd_start "$FORWARDER" "AdvSourceLLAddress on;"
	wait_true 15 ra_misconfig_dropped "$FORWARDER" || fail "r$FORWARDER dropped no RA of a misconfigured radvd"
	wait_true 5 grep -q "warning: RAs .* were dropped" "$LAN_LOGDIR/r$FORWARDER.log" ||
		fail "r$FORWARDER did not log the RAs it dropped"
	for i in 1 2 3 4; do
		expect_eq "$(host_default6 "$i")" "$VIP6 eth0" "h$i's default routes beside a misconfigured radvd"
	done
	radvd_stop "$FORWARDER"
	expect_eq "$(grep -c "warning: RAs .* were dropped" "$LAN_LOGDIR/r$FORWARDER.log")" 1 \
		"warnings about dropped RAs"
	radvd_start "$FORWARDER"
fi

# balancing on IPv6 traffic alone: the forwarder's vMACs carry everything
if [ "$MODE" = v6only ]; then
	fv=($(router_status "$FORWARDER" '[.vmacs[] | select(.state == "owned") | .index] | .[0:2] | .[]'))
	for j in 0 1; do
		i=$((j + 3))
		nx "h$i" ip -6 neigh replace "$VIP6" lladdr "$(vmac_of "${fv[$j]}")" dev eth0 nud stale
		ip netns exec "$(ns "h$i")" ping -6 -q -i 0.01 -s 1000 -w 25 "$SRV6" >"$LAN_LOGDIR/load$i" 2>&1 &
		PING_PID[$i]=$!
	done
	wait_true 20 sh -c "grep -q 'balance round' '$LAN_LOGDIR/r$AVG.log'" ||
		fail "no balance round with all IPv6 traffic on r$FORWARDER: $(router_status "$AVG" -c '[.routers[] | .share]')"
	echo "balance on IPv6 traffic: $(grep 'balance round' "$LAN_LOGDIR/r$AVG.log" | head -1)"
	flows_kill
	for i in 3 4; do wait "${PING_PID[$i]}" 2>/dev/null; unset "PING_PID[$i]"; done
fi


# failover_gap I K: host I pings while router K's link goes down; sets GAP, LAST_OK
failover_gap() {
	local i=$1 k=$2 secs out
	secs=$(awk -v h="$HOLD" 'BEGIN { print int(h / 1000 * 2 + 3) }')
	out=$(mktemp)
	nx "h$i" ping -6 -D -i "$INTERVAL" -w "$secs" "$SRV6" >"$out" 2>&1 &
	local pid=$!
	wait_true 5 grep -q "bytes from" "$out"
	rx "r$k" ip link set lan0 down
	wait "$pid"
	GAP=$(max_reply_gap_ms <"$out")
	LAST_OK=$(tail -n 5 "$out" | grep -c "bytes from")
	LOSS=$(ping_file_loss "$out")%
	rm -f "$out"
}

# point_host I K: host I's entry names a vMAC router K owns (STALE: NUD confirms it)
point_host() {
	local v
	v=$(router_status "$2" '[.vmacs[] | select(.state == "owned") | .index][0]')
	nx "h$1" ip -6 neigh replace "$VIP6" lladdr "$(vmac_of "$v")" dev eth0 nud stale
	nx "h$1" ping -6 -c 1 -W 2 -q "$SRV6" >/dev/null
	wait_for 5 REACHABLE host_vip6_state "$1" || fail "h$1's entry for vMAC $v: $(host_vip6_state "$1")"
	echo "$v"
}

v=$(point_host 1 "$FORWARDER")
mac=$(host_vip6_mac 1)
failover_gap 1 "$FORWARDER"
echo "IPv6 forwarder failover at $TIMERS ($MODE): longest gap ${GAP} ms, loss $LOSS (vMAC $v)"
[ "$GAP" -le $((LIMIT + SLACK)) ] || fail "IPv6 forwarder failover gap ${GAP} ms > ${LIMIT} ms (+${SLACK} ms sampling)"
[ "$LAST_OK" -ge 1 ] || fail "no replies after the forwarder failed"
expect_eq "$(host_vip6_mac 1)" "$mac" "h1's entry after the forwarder failed"

v=$(point_host 2 "$AVG")
mac=$(host_vip6_mac 2)
failover_gap 2 "$AVG"
echo "IPv6 AVG failover at $TIMERS ($MODE): longest gap ${GAP} ms, loss $LOSS (vMAC $v)"
[ "$GAP" -le $((LIMIT + SLACK)) ] || fail "IPv6 AVG failover gap ${GAP} ms > ${LIMIT} ms (+${SLACK} ms sampling)"
[ "$LAST_OK" -ge 1 ] || fail "no replies after the AVG failed"
expect_eq "$(host_vip6_mac 2)" "$mac" "h2's entry after the AVG failed"

# the new AVG answers a new host's NS
wait_for 10 avg router_status "$STANDBY" .role || fail "r$STANDBY did not become the AVG"
nx h4 ip -6 neigh flush dev eth0
nx h4 ping -6 -c 1 -W 2 -q "$SRV6" >/dev/null || fail "h4 cannot ping after the AVG failed"
case "$(host_vip6_mac 4)" in 02:76:67:00:10:*) ;; *) fail "h4 resolved $VIP6 to '$(host_vip6_mac 4)' after the AVG failed" ;; esac

[ "$E2E_FAILED" = 0 ] || for k in 1 2 3; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC"; done
exit $E2E_FAILED
