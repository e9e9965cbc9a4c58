#!/usr/bin/env bash
# Authentication: r1 and r2 share a key, r3 has another; r3's hellos are
# dropped and counted and it never enters r1's and r2's table. Then unicast
# hellos: with multicast hellos dropped by nftables, --peer still forms the group.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
KEYS=$(mktemp -d)
trap 'stop_all_daemons; lan_destroy; rm -rf "$KEYS"' EXIT
printf 'the-right-key-for-group-1\n' >"$KEYS/a"
printf 'another-key\n' >"$KEYS/b"
chmod 600 "$KEYS"/*

lan_create 3 0
start_daemon 1 --priority 101 --hello-ms 100 --hold-ms 300 --key-file "$KEYS/a" --preempt --preempt-delay-ms 0
start_daemon 2 --priority 102 --hello-ms 100 --hold-ms 300 --key-file "$KEYS/a" --preempt --preempt-delay-ms 0
start_daemon 3 --priority 103 --hello-ms 100 --hold-ms 300 --key-file "$KEYS/b"
bad_auth_at_least_5() { [ "$(router_status "$1" .hellos.bad_auth)" -ge 5 ]; }
for k in 1 2; do wait_true 10 bad_auth_at_least_5 "$k" || fail "r$k dropped too few of r3's hellos"; done
wait_for 10 avg router_status 2 .role || fail "r2 never became the AVG"
wait_owned "8 8 16"
for k in 1 2; do
	expect_eq "$(router_status "$k" '[.routers[].id] | sort | join(",")')" "10.77.0.2,10.77.0.3" "routers r$k knows"
	expect_ge "$(router_status "$k" .hellos.bad_auth)" 5 "r3's hellos dropped by r$k as wrongly keyed"
	expect_eq "$(router_status "$k" '[.vmacs[].owner] | unique | join(",")')" "10.77.0.2,10.77.0.3" "owners in r$k's table"
done
expect_eq "$(router_status 2 .role)" avg "r2's role (r3 does not count)"
expect_eq "$(router_status 3 '.routers | length')" 1 "routers r3 knows"
stop_all_daemons

# unicast: multicast hellos are dropped on the way out of every router
for k in 1 2 3; do
	rx "r$k" nft add table ip vgwtest
	rx "r$k" nft add chain ip vgwtest out '{ type filter hook output priority 0; }'
	rx "r$k" nft add rule ip vgwtest out ip daddr 224.0.0.118 counter drop
done
start_daemon 1 --priority 101 --hello-ms 100 --hold-ms 300 --peer 10.77.0.3 --peer 10.77.0.4
start_daemon 2 --priority 102 --hello-ms 100 --hold-ms 300 --peer 10.77.0.2 --peer 10.77.0.4
start_daemon 3 --priority 103 --hello-ms 100 --hold-ms 300 --peer 10.77.0.2 --peer 10.77.0.3
live_routers() { router_status "$1" '[.routers[] | select(.live)] | length'; }
for k in 1 2 3; do wait_for 10 3 live_routers "$k" || fail "r$k does not see 3 live routers over unicast"; done
for k in 1 2 3; do
	expect_eq "$(router_status "$k" '[.routers[] | select(.live)] | length')" 3 "live routers r$k knows over unicast"
	expect_eq "$(rx "r$k" nft -j list chain ip vgwtest out | jq '[.nftables[] | select(.rule) | .rule.expr[] | select(.counter) | .counter.packets] | add')" 0 \
		"multicast hellos r$k tried to send"
done
[ "$E2E_FAILED" = 0 ] || for k in 1 2 3; do echo "--- r$k log"; daemon_log "$k" | grep -v "vMAC"; done
exit $E2E_FAILED
