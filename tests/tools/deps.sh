#!/usr/bin/env bash
# Installs whatever vgw needs to build, test and demo that this Debian 12
# machine lacks, and nothing else. Safe to run again: it is a no-op then.
set -euo pipefail

# what `make` (the vgw binary) needs; `deps.sh --check` names the missing ones
build_packages=(
	gcc clang llvm bpftool libbpf-dev libxdp-dev libelf-dev zlib1g-dev libjson-c-dev libmnl-dev
	libssl-dev libsystemd-dev libmicrohttpd-dev
)
packages=(
	"${build_packages[@]}" make clang-format pkg-config scdoc libcriterion-dev
	iproute2 iputils-ping util-linux procps jq curl nftables gnuplot-nox systemd
	build-essential dpkg-dev debhelper lintian libclang-rt-14-dev keepalived radvd tcpdump
	python3 ethtool qemu-system-x86 busybox-static cpio kmod netsniff-ng
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

if [ "${1:-}" = --check ]; then
	bad=0
	for p in "${build_packages[@]}"; do
		installed "$p" && continue
		echo "vgw: missing package $p (apt-get install $p, or make deps for all)" >&2
		bad=1
	done
	exit $bad
fi

# promtool (the metrics test) from Debian's prometheus package, unpacked into
# build/tools: installing the package would set up and start a Prometheus server
PROMTOOL=build/tools/promtool
fetch_promtool() {
	local tmp
	[ -x "$PROMTOOL" ] && return 0
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get -o APT::Sandbox::User=root download -qq prometheus >/dev/null) &&
		dpkg-deb -x "$tmp"/prometheus_*.deb "$tmp/x" &&
		install -D -m 0755 "$tmp/x/usr/bin/promtool" "$PROMTOOL"
	local rc=$?
	rm -rf "$tmp"
	[ $rc -eq 0 ] || echo "vgw: error: cannot fetch promtool (apt-get download prometheus)" >&2
	return $rc
}

cd "$(dirname "$0")/../.."
missing=()
for p in "${packages[@]}"; do
	installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	fetch_promtool
	exit
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "vgw: error: missing packages (${missing[*]}); run as root to install them" >&2
	exit 1
fi
echo "vgw: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fetch_promtool
