#!/usr/bin/env bash
# vgw run --notify CMD: each event runs CMD with its fields as arguments and
# in the environment, one at a time and in order: the role changes chain
# (each names the one before), every vMAC gained and lost is told (a
# graceful stop of r2 tells r2 "leaving" and its vMACs lost to r1, and r1
# the same vMACs gained), a router with another hold time is a "mismatch".
# Exit statuses are logged; a command that hangs is killed after
# --notify-timeout-ms while the group carries on as if nothing happened.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy; rm -rf "$HOOKS"' EXIT
HOOKS=$(mktemp -d)
cat >"$HOOKS/hook" <<'HOOK'
#!/bin/sh
echo "$* | $VGW_EVENT $VGW_IFACE $VGW_GROUP $VGW_ROLE ${VGW_VMAC:-} ${VGW_ROUTER:-}" >>"$HOOK_LOG"
case "${HOOK_MODE:-}:$1" in
slow:role) exec sleep 30 ;;
fail:leaving) exit 3 ;;
esac
HOOK
chmod +x "$HOOKS/hook"
hooked() { grep -c "$2" "$HOOKS/r$1" 2>/dev/null; }
gained_minus_lost() { echo $(($(hooked "$1" '^vmac-gained') - $(hooked "$1" '^vmac-lost'))); }

lan_create 3 0
# a --notify that cannot run: one line, exit 1, nothing attached
before=$(iface_snapshot 1)
out=$(rx r1 "$VGW" run --iface lan0 --group 1 --vip "$VIP" --notify "$HOOKS/none" 2>&1)
expect_eq "$?" 1 "exit code with a --notify that does not exist"
expect_eq "$out" "vgw: error: --notify: cannot run $HOOKS/none: No such file or directory" "the error line"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "r1 after the refused run"
HOOK_LOG=$HOOKS/r1 start_daemon 1 --priority 200 --hello-ms 100 --hold-ms 300 --notify "$HOOKS/hook"
HOOK_LOG=$HOOKS/r2 HOOK_MODE=fail start_daemon 2 --priority 100 --hello-ms 100 --hold-ms 300 \
	--notify "$HOOKS/hook"
wait_for 10 avg router_status 1 .role || fail "r1 never became the AVG"
wait_for 10 "8 8 " owned_counts_sorted || fail "vMACs per router: $(owned_counts_sorted)"
wait_for 5 8 gained_minus_lost 1 || fail "r1's hook: vMACs gained - lost = $(gained_minus_lost 1), want 8"
wait_for 5 8 gained_minus_lost 2 || fail "r2's hook: vMACs gained - lost = $(gained_minus_lost 2), want 8"
wait_for 5 1 hooked 1 '^role lan0 1 avg ' || fail "r1's hook never heard 'role avg'"
# the roles chain: none -> ... -> avg, each run naming the role before it
prev=none
while read -r ev _ _ new old _; do
	expect_eq "$old" "$prev" "r1's role event to $new names the role before"
	prev=$new
done < <(grep '^role ' "$HOOKS/r1")
expect_eq "$prev" avg "r1's last role event"
# arguments, then the environment (VGW_EVENT, IFACE, GROUP, ROLE, VMAC)
expect_match "$(grep -m1 '^vmac-gained' "$HOOKS/r1")" \
	'^vmac-gained lan0 1 [0-9]+ (02:76:67:00:10:[0-9a-f]{2}) \| vmac-gained lan0 1 (listen|avg) \1 $' \
	"a vmac-gained run's arguments and environment"
wait_true 5 sh -c "grep -q 'notify role avg: $HOOKS/hook exited 0 after' '$LAN_LOGDIR/r1.log'" ||
	fail "r1's log of the role avg run: $(daemon_log 1 | grep notify | tail -2)"

# a router whose hold time differs is a mismatch
HOOK_LOG=$HOOKS/r3 start_daemon 3 --priority 50 --hello-ms 100 --hold-ms 400
wait_for 10 1 hooked 1 '^mismatch lan0 1 10.77.0.4 hold_ms ' || fail "r1's hook: $(grep mismatch "$HOOKS/r1")"
stop_daemon 3

# a graceful stop of r2: leaving, its vMACs lost to r1, which gains them
stop_daemon 2
expect_eq "$STOP_RC" 0 "r2's exit code"
expect_eq "$(hooked 2 '^leaving lan0 1 ')" 1 "r2's leaving runs"
expect_eq "$(grep -c '^vmac-lost lan0 1 [0-9]* 02:76:67:00:10:.. 10.77.0.2 ' "$HOOKS/r2")" 8 "r2's vMACs lost to r1"
expect_eq "$(gained_minus_lost 2)" 0 "r2's vMACs in the end"
wait_for 5 16 gained_minus_lost 1 || fail "r1's hook: vMACs gained - lost = $(gained_minus_lost 1), want 16"
expect_eq "$(daemon_log 2 | grep -c "notify leaving: $HOOKS/hook exited 3 after")" 1 "r2's log of the failed leaving run"

# a hook that hangs: killed after the timeout, the group unaffected
HOOK_LOG=$HOOKS/r2b HOOK_MODE=slow start_daemon 2 --priority 100 --hello-ms 100 --hold-ms 300 \
	--notify "$HOOKS/hook" --notify-timeout-ms 500
wait_true 10 sh -c "grep -q 'killed after [0-9]* ms (--notify-timeout-ms 500)' '$LAN_LOGDIR/r2.log'" ||
	fail "no kill of the hanging run: $(daemon_log 2 | tail -3)"
wait_for 10 "8 8 " owned_counts_sorted || fail "vMACs per router with r2 back: $(owned_counts_sorted)"
# the queued events ran after the killed one, in order
wait_for 10 8 gained_minus_lost 2b || fail "r2's hook after the kill: $(gained_minus_lost 2b)"
expect_eq "$(pgrep -f "sleep 30" -P "$(pgrep -d, -P "${DAEMON_PID[2]}" || echo 1)" | wc -l)" 0 "hanging runs left"
expect_eq "$(router_status 1 '[.routers[] | select(.live)] | length')" 2 "routers r1 sees"
[ "$E2E_FAILED" = 0 ] || for k in 1 2; do echo "--- r$k log"; daemon_log "$k"; echo "--- r$k hook"; cat "$HOOKS/r$k"; done
exit $E2E_FAILED
