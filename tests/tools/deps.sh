#!/usr/bin/env bash
# Installs whatever vgw needs to build, test and demo that this Debian 12
# machine lacks, and nothing else. Safe to run again: it is a no-op then.
set -euo pipefail

packages=(
	make gcc clang llvm clang-format pkg-config bpftool
	libbpf-dev libxdp-dev libelf-dev zlib1g-dev libjson-c-dev libmnl-dev libssl-dev libsystemd-dev libmicrohttpd-dev libcriterion-dev
	iproute2 iputils-ping util-linux procps jq curl nftables gnuplot-nox systemd scdoc prometheus
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "vgw: error: missing packages (${missing[*]}); run as root to install them" >&2
	exit 1
fi
echo "vgw: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
