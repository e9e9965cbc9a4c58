#!/usr/bin/env bash
# Hostile hellos from a host: a forged AVG of priority 255 claiming every
# vMAC, sent with TTL 254, unsigned, with a wrong key, as garbage; and a
# correctly keyed hello replayed. Each is dropped and counted under its
# reason, and no router's roles or table move (but for the hold time in
# which the insider's one accepted hello made it a router).
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
KEYS=$(mktemp -d)
trap 'stop_all_daemons; lan_destroy; rm -rf "$KEYS"' EXIT
INJECT=$(dirname "$VGW")/vgw-hello-inject
printf 'the-group-key\n' >"$KEYS/right"
printf 'a-guess\n' >"$KEYS/wrong"

lan_create 2 1
for k in 1 2; do start_daemon "$k" --priority $((100 + k)) --hello-ms 100 --hold-ms 300 --key-file "$KEYS/right"; done
group_roles || fail "no AVG and standby"
wait_owned "8 8"
declare -A table roles
for k in 1 2; do
	table[$k]=$(owner_table "$k")
	roles[$k]=$(router_status "$k" -c '[.routers[] | {id, state}]')
done

send() { nx h1 "$INJECT" eth0 1 10.77.0.66 "$@" || fail "inject $*"; }
send 254 "$KEYS/right" now
send 255 - now
send 255 "$KEYS/wrong" now
send 255 - now garbage
send 255 "$KEYS/right" 1000 listen # an insider's hello: accepted once
send 255 "$KEYS/right" 1000 listen # and replayed
# the last one sent is counted last: once it is, every one before it was handled
for k in 1 2; do wait_for 5 1 router_status "$k" .hellos.replayed || fail "r$k never counted the replay"; done
# the insider's one accepted hello makes it a router for a hold time; then it is forgotten
insider_live() { router_status "$1" '[.routers[] | select(.id == "10.77.0.66" and .live)] | length'; }
for k in 1 2; do
	wait_for 5 0 insider_live "$k" || fail "r$k still takes the insider as live"
	wait_for 5 "${table[$k]}" owner_table "$k"
done

for k in 1 2; do
	expect_eq "$(router_status "$k" .hellos.bad_ttl)" 1 "r$k: hellos not from the link"
	expect_eq "$(router_status "$k" .hellos.no_auth)" 1 "r$k: unsigned hellos"
	expect_eq "$(router_status "$k" .hellos.bad_auth)" 1 "r$k: wrongly keyed hellos"
	expect_eq "$(router_status "$k" .hellos.bad_magic)" 1 "r$k: garbage"
	expect_eq "$(router_status "$k" .hellos.replayed)" 1 "r$k: replayed hellos"
	expect_eq "$(owner_table "$k")" "${table[$k]}" "r$k's table after the hostile hellos"
	expect_eq "$(router_status "$k" -c '[.routers[] | select(.id != "10.77.0.66") | {id, state}]')" \
		"${roles[$k]}" "r$k's roles after the hostile hellos"
	expect_eq "$(router_status "$k" '[.vmacs[].owner] | map(select(. == "10.77.0.66")) | length')" 0 \
		"vMACs the forger got from r$k"
	# each fault is logged once, naming the host that sent it
	expect_eq "$(daemon_log "$k" | grep -c "hellos from $(host_ip 1) fail authentication: wrong key?")" 1 \
		"r$k's log lines for the wrongly keyed hello"
	expect_eq "$(daemon_log "$k" | grep -c "hellos from $(host_ip 1) are not signed")" 1 \
		"r$k's log lines for the unsigned hello"
done
exit $E2E_FAILED
