#!/usr/bin/env bash
# The Debian package under a real systemd: a minimal Debian 12 root with
# systemd and the package's runtime libraries (debootstrap), build/deb's vgw
# installed in it with dpkg, /etc/vgw/host0.conf written, vgw@host0 enabled,
# booted with systemd-nspawn (--network-veth gives it host0; a bpffs of its
# own is bound on /sys/fs/bpf, which nspawn keeps read-only). Then, with a
# deadline each: the unit is active with the STATUS vgw sent with READY;
# `systemctl reload` re-reads the config; `kill -9` of the daemon restarts
# it and the new one takes the data plane over; `systemctl stop` is graceful
# and leaves no pin; `journalctl -p warning` holds no info line. Not part of
# make test (it needs systemd-container and a minute or two):
#
#   make deb && bash tests/tools/under-systemd.sh [DIR]   (default /var/tmp/vgw-nspawn)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROOTFS=${1:-/var/tmp/vgw-nspawn}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
deb=$(ls "$REPO"/build/deb/vgw_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "vgw: error: no build/deb/vgw_*.deb: run make deb first" >&2; exit 1; }
for tool in systemd-nspawn debootstrap; do
	command -v "$tool" >/dev/null || {
		echo "vgw: installing ${tool/systemd-nspawn/systemd-container}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			"${tool/systemd-nspawn/systemd-container}" >/dev/null
	}
done
BPFFS=$(mktemp -d)
NSPAWN=
failed=0
cleanup() {
	[ -n "$NSPAWN" ] && kill "$NSPAWN" 2>/dev/null && wait "$NSPAWN" 2>/dev/null
	umount "$BPFFS" 2>/dev/null
	rmdir "$BPFFS"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; failed=1; }
until_true() { # SECONDS CMD...: CMD succeeds before the deadline
	local end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# the root: systemd and what the package depends on
libs=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*//; s/ //g' | grep -v '^$' | paste -sd,)
rm -rf --one-file-system "$ROOTFS"
debootstrap --variant=minbase --include="systemd,systemd-sysv,dbus,iproute2,$libs" bookworm \
	"$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 || { tail -n 5 "$ROOTFS.log"; exit 1; }
cp "$deb" "$ROOTFS/root/"
chroot "$ROOTFS" dpkg -i "/root/$(basename "$deb")" >/dev/null
cat >"$ROOTFS/etc/vgw/host0.conf" <<'EOF'
group 1
vip 10.99.0.1
hello-ms 100
hold-ms 300
EOF
cat >"$ROOTFS/etc/systemd/system/lan-addr.service" <<'EOF'
[Unit]
Description=an address on host0 (the container's LAN)
Before=vgw@host0.service
[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/sbin/ip addr add 10.99.0.2/24 dev host0
ExecStart=/sbin/ip link set host0 up
[Install]
WantedBy=multi-user.target
EOF
chroot "$ROOTFS" systemctl enable lan-addr.service vgw@host0.service >/dev/null 2>&1
echo vgw-nspawn >"$ROOTFS/etc/hostname"
echo "root: $ROOTFS ($(chroot "$ROOTFS" vgw --version), $(chroot "$ROOTFS" dpkg-query -W -f='systemd ${Version}' systemd))"

mount -t bpf bpf "$BPFFS"
systemd-nspawn -b -D "$ROOTFS" -M vgwns --register=no --keep-unit --network-veth \
	--capability=all --system-call-filter='bpf perf_event_open' --bind="$BPFFS:/sys/fs/bpf" \
	--console=passive >"$ROOTFS.boot.log" 2>&1 &
NSPAWN=$!
until_true 10 ip link set ve-vgwns up || { fail "no ve-vgwns"; exit 1; }
init_pid() { pgrep -P "$NSPAWN" | head -1; }
until_true 10 init_pid || { fail "the container did not start"; exit 1; }
IN=(nsenter -t "$(init_pid)" -a)
unit() { "${IN[@]}" systemctl show vgw@host0 -p "$1" --value; }
log() { "${IN[@]}" journalctl -u vgw@host0 -b --no-pager -o cat; }
is_() { [ "$(unit "$1")" = "$2" ]; }
logged() { log | grep -q "$1"; }

until_true 30 is_ ActiveState active || fail "vgw@host0 is $(unit ActiveState): $(log | tail -3)"
is_ StatusText "in group 1 on host0" || fail "STATUS: '$(unit StatusText)'"
is_ Type notify || fail "Type=$(unit Type)"
echo "started: $(unit ActiveState)/$(unit SubState), status '$(unit StatusText)'"
"${IN[@]}" systemctl reload vgw@host0 || fail "systemctl reload: $(log | tail -2)"
until_true 5 logged 'config reloaded' || fail "no 'config reloaded' in the journal"
echo "reloaded: $(log | grep -c 'config reloaded') 'config reloaded' line"
main=$(unit MainPID)
kill -KILL "$(pgrep -f 'vgw run --iface host0' | head -1)"
until_true 5 is_ NRestarts 1 || fail "no restart after kill -9"
until_true 5 is_ ActiveState active || fail "not active after the restart"
until_true 5 logged 'took over from vgw run pid' || fail "the new daemon did not take the data plane over"
echo "kill -9 of pid $main: restarted as $(unit MainPID); $(log | grep -o 'took over.*')"
start=$(date +%s%N)
"${IN[@]}" systemctl stop vgw@host0
echo "stopped in $((($(date +%s%N) - start) / 1000000)) ms: $(unit ActiveState), result $(unit Result)"
is_ Result success || fail "stop result $(unit Result)"
[ -e "$BPFFS/vgw/host0" ] && fail "pins left after the stop"
info=$("${IN[@]}" journalctl -u vgw@host0 -b --no-pager -p warning -o cat | grep -c 'role avg' || true)
[ "$info" = 0 ] || fail "journalctl -p warning shows info lines"
echo "journalctl -p warning:"
"${IN[@]}" journalctl -u vgw@host0 -b --no-pager -p warning -o cat | sort | uniq -c | sed 's/^/    /'
[ $failed = 0 ] && echo "under-systemd: all passed"
exit $failed
