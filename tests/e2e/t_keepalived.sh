#!/usr/bin/env bash
# docs/keepalived.md's upgrade and rollback, step by step, against Debian's
# keepalived (VRRPv3, advert 0.1 s) on the namespace LAN, while three hosts
# ping the server at 100/s. Upgrade: the backup r2 goes from keepalived to
# vgw run (the AVG of a group of one), then the master r1 does, and the two
# form one group; hosts reach the server throughout, and once their entries
# for the vIP are renewed they point at vMACs. Rollback: vgw stops on r1,
# then on r2 with keepalived started at once, then keepalived on r1; hosts
# end on the keepalived master's MAC. Loss and the longest gap of each phase
# are printed, and bounded.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'flows_kill; ka_stop_all; stop_all_daemons; lan_destroy; rm -rf "$KA_DIR"' EXIT
KA_DIR=$(mktemp -d)
KA_ADVERT=0.1
has_vip24() { rx "r$1" ip -4 -o addr show dev lan0 | grep -q " $VIP/24 "; }
VGWRUN=(--hello-ms 100 --hold-ms 300 --vmacs 8)
phase_end() { # NAME MAX_LOSS_PCT
	local i
	flows_end "$1"
	for i in 1 2 3; do
		expect_at_most "${LOSS[$i]}" "$2" "$1: h$i's loss (%)"
	done
}

lan_create 2 3
LAN_LOGDIR=${LAN_LOGDIR:-$(mktemp -d)}
ka_start 1 150
ka_start 2 100
wait_true 10 has_vip24 1 || fail "keepalived on r1 never became the master: $(tail -3 "$KA_DIR/ka1.log")"
for i in 1 2 3; do
	nx "h$i" ping -c 2 -W 1 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server via keepalived"
	expect_eq "$(host_vip_mac "$i")" "$(router_mac 1)" "h$i's gateway MAC under keepalived (r1's own)"
done

# upgrade, step 2: the backup r2 leaves keepalived for vgw
flows 14
sleep 0.5
ka_stop 2
start_daemon 2 "${VGWRUN[@]}"
wait_for 10 avg router_status 2 .role || fail "vgw on r2 never became the AVG of its group of one"
# step 3: the master r1 does the same
ka_stop 1
has_vip24 1 && fail "keepalived left the vIP on r1"
start_daemon 1 "${VGWRUN[@]}"
wait_for 10 "4 4 " owned_counts_sorted || fail "vMACs per router after the upgrade: $(owned_counts_sorted)"
phase_end "upgrade" 1
# hosts renew their entries (flushed here, as they age out in time): vMACs now
for i in 1 2 3; do
	nx "h$i" ip neigh flush dev eth0
	nx "h$i" ping -c 2 -W 1 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server via vgw"
	expect_match "$(host_vip_mac "$i")" '^02:76:67:00:10:0' "h$i's gateway MAC under vgw"
done

# rollback, step 1: vgw stops on r1 (its vMACs go to r2)
flows 12
sleep 0.5
stop_daemon 1
expect_eq "$STOP_RC" 0 "vgw on r1's exit code"
# step 2: vgw stops on r2 and keepalived starts at once; then keepalived on r1
t0=$(now_ms)
stop_daemon 2
expect_eq "$STOP_RC" 0 "vgw on r2's exit code"
ka_start 2 100
stopped_ms=$(($(now_ms) - t0))
ka_start 1 150
wait_true 10 has_vip24 1 || fail "keepalived on r1 never became the master again"
phase_end "rollback" 10
echo "rollback: vgw stop on r2 took ${stopped_ms} ms before keepalived started"
for i in 1 2 3; do
	wait_for 5 "$(router_mac 1)" host_vip_mac "$i" ||
		fail "h$i's gateway MAC after the rollback: $(host_vip_mac "$i"), want r1's $(router_mac 1)"
	nx "h$i" ping -c 2 -W 1 -q 10.78.0.100 >/dev/null || fail "h$i cannot reach the server after the rollback"
done
expect_eq "$(rx r1 ls /sys/fs/bpf/vgw 2>/dev/null | wc -l)" 0 "vgw pins left on r1"
[ "$E2E_FAILED" = 0 ] || { for k in 1 2; do echo "--- r$k"; daemon_log "$k" | tail -5; tail -5 "$KA_DIR/ka$k.log"; done; }
exit $E2E_FAILED
