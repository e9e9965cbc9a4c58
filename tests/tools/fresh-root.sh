#!/usr/bin/env bash
# The README's two commands on a fresh machine: builds a minimal Debian 12
# root (debootstrap minbase + ca-certificates: no make, no compiler), puts
# the source in it as a release tarball would (git archive of HEAD at
# /root/vgw), and runs in it, as root, `./make.sh demo` then `./make.sh
# test`, timing each. It shares the host's kernel; apt in it
# uses this machine's mirror settings. The root stays for a look (give
# another DIR, or delete it).
#
#   bash tests/tools/fresh-root.sh [DIR]     (default /var/tmp/vgw-fresh-root)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROOTFS=${1:-/var/tmp/vgw-fresh-root}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
LOG=$ROOTFS.log

command -v debootstrap >/dev/null || {
	echo "vgw: installing debootstrap"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}
unmount_all() { # every mount under the root, deepest first
	local m
	for m in $(findmnt -rn -o TARGET | grep -E "^$ROOTFS(/|$)" | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	return 0
}
trap unmount_all EXIT
unmount_all
if findmnt -rn -o TARGET | grep -qE "^$ROOTFS(/|$)"; then
	echo "vgw: error: mounts under $ROOTFS remain; not deleting it" >&2
	exit 1
fi
rm -rf --one-file-system "$ROOTFS"
secs() { awk -v s="$1" -v e="$(date +%s%N)" 'BEGIN { printf "%.0f", (e - s) / 1e9 }'; }

t=$(date +%s%N)
debootstrap --variant=minbase --include=ca-certificates bookworm "$ROOTFS" "$MIRROR" >"$LOG" 2>&1 || {
	tail -n 20 "$LOG"
	exit 1
}
echo "fresh root: debootstrap minbase in $(secs "$t") s ($(du -sh "$ROOTFS" | cut -f1))"
for tool in make gcc cc clang; do
	if chroot "$ROOTFS" sh -c "command -v $tool" >/dev/null; then
		echo "vgw: error: the fresh root has $tool already" >&2
		exit 1
	fi
done
echo "fresh root: no make, gcc, cc or clang"
# the machine's apt settings (its mirror, proxies, snapshot dates), not the project's
if [ -n "$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null)" ]; then
	rm -f "$ROOTFS/etc/apt/sources.list" # (debootstrap's, the same mirror: listed once)
fi
cp -a /etc/apt/sources.list.d/. "$ROOTFS/etc/apt/sources.list.d/" 2>/dev/null || true
cp -a /etc/apt/apt.conf.d/. "$ROOTFS/etc/apt/apt.conf.d/" 2>/dev/null || true
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
mkdir -p "$ROOTFS/root"
git -C "$REPO" archive --prefix=vgw/ HEAD | tar -x -C "$ROOTFS/root"
echo "fresh root: source at /root/vgw (git archive of $(git -C "$REPO" rev-parse --short HEAD))"

# Each command runs as the fresh machine's own: in a mount namespace made
# here, from the host's own (nested ones make the tests' binds fail at random
# on this kernel), whose root is the fresh root (pivot_root), so that the
# tests' `nsenter --mount` sees the fresh root too. Its mounts go with it.
in_root() {
	unshare --mount --propagation private /bin/bash -c '
		set -e
		root=$1
		mount --bind "$root" "$root"
		mount -t proc proc "$root/proc"
		mount -t sysfs sysfs "$root/sys"
		mount --rbind /dev "$root/dev"
		mount -t tmpfs tmpfs "$root/run"
		mkdir -p "$root/.oldroot"
		cd "$root"
		pivot_root . .oldroot
		cd /
		umount -l /.oldroot
		exec /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb \
			LANG=C.UTF-8 /bin/bash -c "cd /root/vgw && $2"' in_root "$ROOTFS" "$1"
}
# what plain `make` says first on this machine (it runs this check before building)
out=$(in_root "bash tests/tools/deps.sh --check" 2>&1) && {
	echo "vgw: error: the fresh root has every build package already" >&2
	exit 1
}
echo "fresh root: plain make would first say ($(echo "$out" | wc -l) lines):"
echo "$out" | head -n 3 | sed 's/^/    /'
echo "    ..."
rc=0
for cmd in "./make.sh demo" "./make.sh test"; do
	t=$(date +%s%N)
	in_root "$cmd" >"$ROOTFS.${cmd#./make.sh }.log" 2>&1 || rc=$?
	echo "fresh root: '$cmd' exit $rc after $(secs "$t") s (log $ROOTFS.${cmd#./make.sh }.log)"
	tail -n 3 "$ROOTFS.${cmd#./make.sh }.log" | sed 's/\x1b\[[0-9;]*m//g; s/^/    /'
	[ $rc -eq 0 ] || break
done
exit $rc
