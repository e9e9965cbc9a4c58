#!/usr/bin/env bash
# Three routers with weights 1:1:2 and --target weighted: traffic that starts
# at 55/10/35 ends within the threshold of 25/25/50.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT
BAL=(--hello-ms 100 --hold-ms 300 --vmacs 12 --lb round-robin --target weighted --poll-ms 500
	--smoothing-ms 500 --balance-hold-ms 2000 --move-cooldown-ms 60000)

lan_create 3 6
LAN_LOGDIR=$(mktemp -d)
start_daemon 1 --priority 130 --weight 50 "${BAL[@]}"
start_daemon 2 --priority 120 --weight 50 "${BAL[@]}"
start_daemon 3 --priority 110 --weight 100 "${BAL[@]}"
wait_owned "3 3 6"
nx srv ip route replace 10.77.0.0/24 via 10.78.0.2

# hosts pinned to vMACs: r1 carries 25+15+15, r2 10, r3 15+20 (percent)
pin_to() { # HOST ROUTER NTH: pin host to the NTH vMAC router owns
	local v
	v=$(router_status "$2" "[.vmacs[] | select(.state == \"owned\") | .index][$3]")
	nx "h$1" ip neigh replace "$VIP" lladdr "$(vmac_of "$v")" dev eth0 nud permanent
}
pin_to 1 1 0; pin_to 2 1 1; pin_to 3 1 2; pin_to 4 2 0; pin_to 5 3 0; pin_to 6 3 1
ping_load 1 25 14; ping_load 2 15 14; ping_load 3 15 14; ping_load 4 10 14; ping_load 5 15 14; ping_load 6 20 14
ping_loads_go

in_range=0
for t in $(seq 1 60); do
	s="$(router_share 1) $(router_share 2) $(router_share 3)"
	read -r a b c <<<"$s"
	if [ "$(daemon_log 1 | grep -c "balance round")" -ge 1 ] && [ "${a:-0}" -ge 20 ] && [ "$a" -le 30 ] &&
		[ "${b:-0}" -ge 20 ] && [ "$b" -le 30 ] && [ "${c:-0}" -ge 45 ] && [ "$c" -le 55 ]; then
		in_range=$((in_range + 1))
	else
		in_range=0
	fi
	[ "$in_range" -ge 3 ] && break
	sleep 0.25
done
echo "weights 1:1:2: shares $s, $(daemon_log 1 | grep -c "balance round") move(s)"
daemon_log 1 | grep "balance round" | sed 's/^/    /'
[ "$in_range" -ge 3 ] || fail "shares $s are not within 5 points of 25/25/50"
exit $E2E_FAILED
