#!/usr/bin/env bash
# Bad input gets one clear error line and a non-zero exit, and leaves nothing
# attached, pinned or changed.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy; rm -rf "$NOBODY_DIR"' EXIT
EMPTY_OBJ=$(dirname "$VGW")/empty.bpf.o
LOAD=(load --iface lan0 --group 1 --vip "$VIP" --vmacs 4 --own 1,3 --avg)
NOBODY_DIR=$(mktemp -d)

# expect_error WANT_RC WANT_LINE CMD...: exit code and the one stderr line
expect_error() {
	local want_rc=$1 want=$2 err rc
	shift 2
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	expect_eq "$rc" "$want_rc" "exit code of: ${*: -6}"
	expect_eq "$err" "$want" "stderr of: ${*: -6}"
}

lan_create 1 1
before=$(iface_snapshot 1)

expect_error 1 "vgw: error: no interface named 'nope0'" \
	rx r1 "$VGW" load --iface nope0 --group 1 --vip "$VIP" --vmacs 4 --own 1
expect_error 2 "vgw: error: --vip: '10.77.0.300' is not a unicast IPv4 address" \
	rx r1 "$VGW" load --iface lan0 --group 1 --vip 10.77.0.300 --vmacs 4 --own 1
expect_error 2 "vgw: error: --vmacs: '300' is out of range (1..256)" \
	rx r1 "$VGW" load --iface lan0 --group 1 --vip "$VIP" --vmacs 300 --own 1
expect_error 1 "vgw: error: vgw is not loaded on lan0" rx r1 "$VGW" unload --iface lan0
expect_error 1 "vgw: error: vgw is not loaded on lan0" rx r1 "$VGW" status --iface lan0
# under systemd stderr is the journal: each line carries its syslog priority
journal=$(mktemp)
JOURNAL_STREAM=$(stat -c '%d:%i' "$journal") rx r1 "$VGW" status --iface lan0 2>>"$journal"
expect_eq "$(cat "$journal")" "<3>vgw: error: vgw is not loaded on lan0" "the error line written to the journal"
rm -f "$journal"

cp "$VGW" "$NOBODY_DIR/vgw"
chmod 755 "$NOBODY_DIR" "$NOBODY_DIR/vgw"
expect_error 1 "vgw: error: must be run as root" \
	rx r1 setpriv --reuid=65534 --regid=65534 --clear-groups "$NOBODY_DIR/vgw" "${LOAD[@]}"
# root in a user namespace of its own: bpf() is refused there
expect_error 1 "vgw: error: cannot use BPF here: Operation not permitted" \
	rx r1 unshare --user --map-root-user "$NOBODY_DIR/vgw" "${LOAD[@]}"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "after rejected commands"

# a router without conntrack: --handoff-ms is refused (t_conntrack_later: the default)
RUN=(run --iface lan0 --group 1 --vip "$VIP" --vmacs 4)
expect_error 1 "vgw: error: --handoff-ms needs conntrack, which this kernel has not loaded (modprobe nf_conntrack), or use --handoff-ms 0" \
	rx_no_conntrack 1 timeout 20 "$VGW" "${RUN[@]}" --handoff-ms 60000
expect_same_snapshot "$before" "$(iface_snapshot 1)" "after --handoff-ms without conntrack"

# already loaded: the second load fails, the first stays intact
rx r1 "$VGW" "${LOAD[@]}" >/dev/null || fail "first load"
loaded=$(iface_snapshot 1)
expect_error 1 "vgw: error: vgw is already loaded on lan0 (run 'vgw unload --iface lan0')" \
	rx r1 "$VGW" "${LOAD[@]}"
expect_same_snapshot "$loaded" "$(iface_snapshot 1)" "after a second load"
expect_eq "$(router_status 1 '.vmacs | length')" 4 "status of the first load"
rx r1 "$VGW" unload --iface lan0 >/dev/null || fail "unload"

# a failure half-way (the XDP hook is taken after the tc programs are in):
# everything done before it is undone
rx r1 ip link set dev lan0 xdpgeneric obj "$EMPTY_OBJ" sec xdp || fail "attach a foreign XDP program"
before=$(iface_snapshot 1)
expect_error 1 "vgw: error: cannot attach the XDP program on lan0: another XDP program is attached and libxdp cannot share the interface with it here" \
	rx r1 "$VGW" "${LOAD[@]}"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "after a load that failed half-way"
exit $E2E_FAILED
