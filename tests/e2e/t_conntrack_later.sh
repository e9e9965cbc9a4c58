#!/usr/bin/env bash
# conntrack loaded after vgw run started, as when nftables rules that need it
# load later at boot: the handoff is off and vgw says why once; when conntrack
# comes, vgw turns the handoff on by itself, swapping its XDP program for one
# with the handoff, attached alone or under libxdp's dispatcher (6.1 takes it),
# with no moment without one: a host pinging through the router all along
# misses no reply, and one vgw XDP program is left. Where conntrack is loaded
# already (this machine), the daemon starts with its sysctls hidden, then
# uncovered; where it is not (a kernel-matrix guest), modprobe loads it.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
PING_PID=
trap '[ -n "$PING_PID" ] && kill "$PING_PID" 2>/dev/null; stop_all_daemons; lan_destroy' EXIT

lan_create 1 1
LAN_LOGDIR=$(mktemp -d)
LOG=$LAN_LOGDIR/r1.log
before=$(iface_snapshot 1)
xdp_progs() { bpftool -j prog show | jq '[.[] | select(.name == "vgw_xdp")] | length'; }
xdp_progs_are() { [ "$(xdp_progs)" -eq "$1" ]; }
progs_before=$(xdp_progs)
RUN=(run --iface lan0 --group 1 --vip "$VIP" --vmacs 4 --hello-ms "$(slow_ms 100)" --hold-ms "$(slow_ms 300)"
	--poll-ms 100)
if [ -e /proc/sys/net/netfilter/nf_conntrack_max ]; then
	how=uncovered
	rx_no_conntrack 1 "$VGW" "${RUN[@]}" >"$LOG" 2>&1 &
else
	how=modprobe
	nsenter --mount="$MNTNS_DIR/$(ns r1)" --net="/run/netns/$(ns r1)" "$VGW" "${RUN[@]}" >"$LOG" 2>&1 &
fi
DAEMON_PID[1]=$!
wait_for 10 avg router_status 1 .role || fail "r1 never became the AVG: $(cat "$LOG")"
expect_eq "$(grep 'connection handoff' "$LOG")" \
	"vgw: lan0: no conntrack on this router: connection handoff is off until conntrack is loaded" \
	"the one line saying why the handoff is off"
expect_eq "$(router_status 1 '.handoff')" null "status: no handoff while conntrack is missing"
expect_eq "$(xdp_progs)" $((progs_before + 1)) "vgw XDP programs loaded"

# h1 pings the server through its vMAC, 100 a second, while the program is swapped
nx srv ip route replace 10.77.0.0/24 via 10.78.0.2
ip netns exec "$(ns h1)" ping -i 0.01 -w $((60 * E2E_SLOW)) 10.78.0.100 >"$LAN_LOGDIR/ping" 2>&1 &
PING_PID=$!
replies() { grep -c 'bytes from' "$LAN_LOGDIR/ping"; }
replies_at_least() { [ "$(replies)" -ge "$1" ]; }
wait_true 10 replies_at_least 50 || fail "h1 gets no replies through r1: $(tail -3 "$LAN_LOGDIR/ping")"

if [ $how = uncovered ]; then
	nsenter --mount=/proc/"${DAEMON_PID[1]}"/ns/mnt --net="/run/netns/$(ns r1)" \
		umount /proc/sys/net/netfilter || fail "uncover conntrack"
else
	modprobe nf_conntrack || fail "modprobe nf_conntrack"
fi
wait_true 20 grep -q 'conntrack is loaded now: connection handoff is on' "$LOG" ||
	fail "the handoff did not come on with conntrack ($how): $(cat "$LOG")"
at_swap=$(replies)
wait_true 10 replies_at_least $((at_swap + 50)) || fail "no replies after the swap: $(tail -3 "$LAN_LOGDIR/ping")"
kill -INT "$PING_PID"
wait "$PING_PID"
PING_PID=
# every request from the first reply to the last answered: the program was never missing
read -r first last n < <(sed -n 's/.*icmp_seq=\([0-9]*\) .*/\1/p' "$LAN_LOGDIR/ping" |
	awk 'NR == 1 { f = $1 } { l = $1; n++ } END { print f, l, n }')
echo "conntrack $how: replies $first..$last, $n received across the swap"
expect_eq $((last - first + 1 - n)) 0 "replies missing between icmp_seq $first and $last"

expect_eq "$(router_status 1 '.handoff.windows')" 0 "status: the handoff is on, no window open"
expect_eq "$(grep -c 'connection handoff is on' "$LOG")" 1 "lines saying the handoff is on"
expect_eq "$(grep -c 'cannot take the handoff' "$LOG")" 0 "warnings that the handoff cannot come on"
wait_true 5 xdp_progs_are $((progs_before + 1)) ||
	fail "vgw XDP programs loaded after the swap: $(xdp_progs), want $((progs_before + 1))"
# the daemon looks for its XDP program every poll (10 a second here), holding
# no program open: the fds it has open to BPF programs stay as they are
prog_fds() { grep -l '^prog_id:' /proc/"${DAEMON_PID[1]}"/fdinfo/* 2>/dev/null | wc -l; }
# (a leak stays: three readings in a row above; one a poll holds for a moment does not)
prog_fds_stay_above() {
	local n
	for n in 1 2 3; do
		[ "$(prog_fds)" -gt "$1" ] || return 1
		sleep 0.2
	done
}
fds=$(prog_fds)
! wait_true 3 prog_fds_stay_above "$fds" || fail "the daemon's fds to BPF programs grow: $fds, then $(prog_fds)"
stop_daemon 1
expect_eq "$STOP_RC" 0 "exit code of vgw run stopped by SIGTERM"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "after vgw run stopped"
wait_true 5 xdp_progs_are "$progs_before" || fail "vgw XDP programs left after stop: $(xdp_progs)"
[ "$E2E_FAILED" = 0 ] || cat "$LOG"
exit $E2E_FAILED
