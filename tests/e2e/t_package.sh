#!/usr/bin/env bash
# make deb builds vgw_VERSION_ARCH.deb (debhelper; lintian reports no error)
# with the binary, the unit, the man pages and the example config, and the
# runtime libraries as its dependencies. dpkg -i installs it on this machine
# (the test bed): the installed vgw --version answers; dpkg -r removes every
# file again; neither changes any interface, address, qdisc or bpffs pin.
# An operator's vgw package already installed here is left alone (skipped).
set -u
. "$(dirname "$0")/assert.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -n 's/^#define VGW_VERSION "\(.*\)"$/\1/p' "$ROOT/loader/version.h")
deb=$ROOT/build/deb/vgw_${version}_$(dpkg --print-architecture).deb

out=$(make -s -C "$ROOT" deb 2>&1) || fail "make deb: $(echo "$out" | tail -5)"
[ -f "$deb" ] || { fail "no $deb"; exit 1; }
expect_eq "$(grep -c '^E:' "$ROOT/build/deb/lintian.txt")" 0 "lintian errors"
expect_eq "$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $6}' | sort | tr '\n' ' ')" \
	"./lib/systemd/system/vgw@.service ./usr/sbin/vgw ./usr/share/doc/vgw/changelog.gz ./usr/share/doc/vgw/copyright ./usr/share/doc/vgw/examples/vgw.conf ./usr/share/man/man5/vgw.conf.5.gz ./usr/share/man/man8/vgw.8.gz " \
	"the package's files"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libbpf1 libxdp1 libjson-c5 libmnl0 libssl3 libsystemd0 libmicrohttpd12; do
	expect_match "$depends" "(^|, )$lib( |,|$)" "Depends names $lib"
done

if dpkg-query -W -f='${Status}' vgw 2>/dev/null | grep -q "install ok installed"; then
	echo "SKIP: a vgw package is installed here already; not replacing it"
	exit $E2E_FAILED
fi
machine() {
	ip -d addr show
	ip -d link show
	for dev in $(ls /sys/class/net); do tc qdisc show dev "$dev"; done
	ls -R /sys/fs/bpf 2>/dev/null
}
before=$(machine)
out=$(DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" 2>&1)
expect_eq "$?" 0 "dpkg -i: $out"
expect_eq "$(/usr/sbin/vgw --version)" "vgw $version" "the installed vgw --version"
expect_eq "$(dpkg-query -W -f='${Status} ${Version}' vgw)" "install ok installed $version" "dpkg's record"
expect_eq "$(machine)" "$before" "interfaces after dpkg -i"
out=$(dpkg -r vgw 2>&1)
expect_eq "$?" 0 "dpkg -r: $out"
for f in /usr/sbin/vgw /lib/systemd/system/vgw@.service /usr/share/man/man8/vgw.8.gz /usr/share/doc/vgw; do
	[ -e "$f" ] && fail "$f is left after dpkg -r"
done
expect_eq "$(machine)" "$before" "interfaces after dpkg -r"
echo "package: $deb ($(stat -c %s "$deb") bytes), Depends: $depends"
exit $E2E_FAILED
