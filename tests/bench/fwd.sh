#!/usr/bin/env bash
# make bench, forwarding: packets per second a router namespace forwards, from a
# generator namespace (vgw-trafficgen: live XDP frames, or trafgen where the kernel
# refuses those) over veth into an XDP sink,
# for what users run today and for vgw, trials interleaved so that drift hits every
# case alike, on one core and on two. Prints min / median / max and each median as
# a ratio to the kernel's. Cleans up after itself.
#
#   kernel      the kernel forwards frames sent to the router's MAC
#   nft-mac     the same, counting per destination MAC in an nftables set (16 vMACs
#               and the router's MAC), in the LAN's netdev ingress hook
#   vgw         vgw load, frames to an owned vMAC (the default path: XDP_PASS); on a
#               veth in native mode, with the tc ingress hook only veth needs
#   vgw-nic     the same without that hook, as vgw runs on a NIC (and as these frames,
#               which arrive by XDP redirect, need)
#   vgw-fast    vgw load --fast-path, frames to an owned vMAC
#   xdp-fwd     a bare XDP forwarder (bpf_fib_lookup + bpf_redirect_map), router's MAC
#
# A veth receives redirected XDP frames only while its peer runs an XDP program, so
# the router's LAN side runs one in every case (the empty one where the case has
# none) and the sink's is the counting sink.
set -u
BUILD=$(cd "$(dirname "$0")/../.." && pwd)/build
VGW=$BUILD/vgw
GEN=$BUILD/vgw-trafficgen
TRIALS=${TRIALS:-5}
SECS=${SECS:-1.5}
CASES=${CASES:-kernel nft-mac vgw vgw-nic vgw-fast xdp-fwd}
P=vgwb$$
MNT=/run/mntns
PIN=/sys/fs/bpf/bench-sink # in the router's own bpffs: it goes with it

rx() { nsenter --mount="$MNT/$P-r" --net="/run/netns/$P-r" "$@"; }
gen() { nsenter --mount="$MNT/$P-r" "$GEN" "$@"; } # it enters the namespaces it needs

cleanup() {
	rx "$VGW" unload --iface lan0 >/dev/null 2>&1
	while umount "$MNT/$P-r" 2>/dev/null; do :; done
	rm -f "$MNT/$P-r"
	for n in gen r sink; do ip netns del "$P-$n" 2>/dev/null; done
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

for n in gen r sink; do ip netns add "$P-$n"; done
mkdir -p "$MNT"
if ! mountpoint -q "$MNT"; then mount --bind "$MNT" "$MNT" && mount --make-private "$MNT"; fi
touch "$MNT/$P-r"
unshare --mount="$MNT/$P-r" --propagation private true
rx sh -c 'mount -t sysfs sysfs /sys && mount -t bpf bpf /sys/fs/bpf'
# two queues each way: with two generators, each core has its own queue
ip link add g0 netns "$P-gen" numtxqueues 2 numrxqueues 2 type veth peer name lan0 \
	netns "$P-r" numtxqueues 2 numrxqueues 2
ip link add up0 netns "$P-r" numtxqueues 2 numrxqueues 2 type veth peer name s0 \
	netns "$P-sink" numtxqueues 2 numrxqueues 2
ip -n "$P-gen" addr add 10.77.0.11/24 dev g0
ip -n "$P-r" addr add 10.77.0.2/24 dev lan0
ip -n "$P-r" addr add 10.78.0.2/24 dev up0
ip -n "$P-sink" addr add 10.78.0.100/24 dev s0
for d in "gen g0" "r lan0" "r up0" "sink s0"; do
	set -- $d
	ip -n "$P-$1" link set "$2" up
done
ip netns exec "$P-r" sysctl -qw net.ipv4.ip_forward=1
# no resolution in the measurement: the sink's MAC is known
ip -n "$P-r" neigh add 10.78.0.100 lladdr "$(ip -n "$P-sink" -j link show s0 | jq -r '.[0].address')" \
	dev up0 nud permanent
gen sink "$P-sink" s0 "$PIN" || exit 1
RMAC=$(ip -n "$P-r" -j link show lan0 | jq -r '.[0].address')
VMAC=02:76:67:00:10:01

case_up() { # CASE: set the router up for it; prints the destination MAC
	case $1 in
	kernel)
		rx ip link set lan0 xdp obj "$BUILD/empty.bpf.o" sec xdp
		echo "$RMAC"
		;;
	nft-mac)
		rx ip link set lan0 xdp obj "$BUILD/empty.bpf.o" sec xdp
		rx nft -f - <<-NFT
		table netdev vgwbench {
			set macs {
				type ether_addr; counter
				elements = { $RMAC, $(for i in $(seq 1 16); do printf '02:76:67:00:10:%02x, ' "$i"; done | sed 's/, $//') }
			}
			chain in { type filter hook ingress device lan0 priority 0; ether daddr @macs; }
		}
		NFT
		echo "$RMAC"
		;;
	vgw | vgw-nic | vgw-fast)
		rx "$VGW" load --iface lan0 --group 1 --vip 10.77.0.1 --vmacs 16 --own 1,2,3,4,5,6,7,8 \
			--avg $([ "$1" = vgw-fast ] && echo --fast-path) >/dev/null 2>&1 || {
			echo "fwd.sh: vgw load failed" >&2
			exit 1
		}
		[ "$1" = vgw-nic ] && rx tc filter del dev lan0 ingress
		echo "$VMAC"
		;;
	xdp-fwd)
		gen fwd "$P-r" lan0 up0 || exit 1
		echo "$RMAC"
		;;
	esac
}

case_down() {
	case $1 in
	kernel | xdp-fwd) rx ip link set lan0 xdp off ;;
	nft-mac)
		rx nft delete table netdev vgwbench
		rx ip link set lan0 xdp off
		;;
	vgw | vgw-nic | vgw-fast) rx "$VGW" unload --iface lan0 >/dev/null ;;
	esac
}

declare -A R
for trial in $(seq 1 "$TRIALS"); do
	for cpus in 1 2; do
		for c in $CASES; do
			# trafgen's frames come by veth transmit, not by XDP redirect: without
			# the tc ingress hook veth needs, vgw's rewritten frames would be dropped
			[ "$c" = vgw-nic ] && [ "${GENERATOR:-}" = trafgen ] && continue
			mac=$(case_up "$c") || exit 1
			read -r pps GENERATOR < <(gen gen "$P-gen" g0 "$mac" "$cpus" "$SECS" "$PIN")
			[ -n "$pps" ] || exit 1
			# a case that forwarded nothing is broken, not slow
			[ "$c" = nft-mac ] && [ "$trial" = 1 ] && [ "$cpus" = 1 ] &&
				NFT_COUNTED=$(rx nft -j list set netdev vgwbench macs | jq '[.. | .packets? // empty] | add')
			case_down "$c"
			R[$c,$cpus]+="$pps "
		done
	done
done

stats() { # VALUES: "min median max" in kpps
	tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d %d", v[1] / 1000, v[int((NR + 1) / 2)] / 1000, v[NR] / 1000 }'
}
median() { stats | awk '{ print $2 }'; }

echo "vgw forwarding bench: 60-byte UDP frames, generator ($GENERATOR) -> router -> XDP sink on veth,"
echo "$TRIALS interleaved trials of ${SECS} s per case; kpps min / median / max, and median / kernel's"
printf '%-12s %-24s %-7s   %-24s %s\n' "" "1 core" "ratio" "2 cores" "ratio"
for c in $CASES; do
	[ -n "${R[$c,1]:-}" ] || continue
	line=$(printf '%-12s' "$c")
	for cpus in 1 2; do
		read -r mn md mx <<<"$(stats <<<"${R[$c,$cpus]}")"
		k=$(median <<<"${R[kernel,$cpus]}")
		line+=$(printf ' %6d / %6d / %6d  %5.2fx  ' "$mn" "$md" "$mx" "$(awk -v a="$md" -v b="$k" 'BEGIN { print b ? a / b : 0 }')")
	done
	echo "$line"
done
[ -n "${NFT_COUNTED:-}" ] && echo "(nft-mac's set counted $NFT_COUNTED frames in its first trial)"
[ "${GENERATOR:-}" = trafgen ] &&
	echo "(trafgen: this kernel refuses live XDP frames; vgw-nic needs frames that arrive by XDP redirect, so the default path is judged on vgw)"
for cpus in 1 2; do
	f=$(median <<<"${R[vgw-fast,$cpus]:-0}")
	b=$(median <<<"${R[xdp-fwd,$cpus]:-0}")
	default=vgw-nic
	[ "${GENERATOR:-}" = trafgen ] && default=vgw
	d=$(median <<<"${R[$default,$cpus]:-0}")
	k=$(median <<<"${R[kernel,$cpus]:-0}")
	awk -v f="$f" -v b="$b" -v d="$d" -v k="$k" -v c="$cpus" -v n="$default" 'BEGIN {
		printf "targets, %d core%s: default path (%s) %.3fx kernel (>= 0.97: %s), fast path %.3fx bare XDP (>= 0.95: %s)\n",
			c, (c > 1) ? "s" : "", n, k ? d / k : 0, (k && d / k >= 0.97) ? "met" : "MISSED",
			b ? f / b : 0, (b && f / b >= 0.95) ? "met" : "MISSED" }'
done
