#!/bin/sh
# ./make.sh TARGET...: make, on a machine that may not have make yet (a
# minimal Debian 12): installs make if it is missing, then runs it. The
# targets install whatever else they need (tests/tools/deps.sh).
set -e
cd "$(dirname "$0")"
if ! command -v make >/dev/null 2>&1; then
	if [ "$(id -u)" != 0 ]; then
		echo "vgw: error: make is missing; run as root to install it (apt-get install make)" >&2
		exit 1
	fi
	echo "vgw: installing make"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends make >/dev/null
fi
exec make "$@"
