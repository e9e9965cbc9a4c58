#!/usr/bin/env bash
# Builds a LAN of network namespaces for vgw and tears it down again.
#
#   hosts h1..hN ──┐                        ┌── r1:up0 ─┐
#                  ├─ sw:br0 (Linux bridge) ├── r2:up0 ─┼─ srv:br0 (10.78.0.100)
#   r1:lan0, r2:lan0 ┘                        …
#
# LAN 10.77.0.0/24, vIP 10.77.0.1, router k at 10.77.0.(1+k), host i at
# 10.77.0.(10+i); upstream 10.78.0.0/24, router k at 10.78.0.(1+k). Every
# router namespace gets its own mount namespace with a private bpffs, since
# libxdp pins by ifindex and ifindexes repeat across namespaces.
#
# Source it, set LAN_ID (unique per LAN), call lan_create ROUTERS HOSTS, and
# call lan_destroy from an EXIT trap.

# a test killed by run.sh's timeout still runs its EXIT trap (and cleans up)
trap 'exit 143' TERM
trap 'exit 130' INT

# E2E_SLOW: how many times slower this machine runs the tests than the one
# their figures come from (a kernel-matrix guest under TCG: 3). Timers the
# test is not about, traffic durations and deadlines stretch by it; every
# check stays the same.
E2E_SLOW=${E2E_SLOW:-1}
slow_ms() { echo $(($1 * E2E_SLOW)); }

VGW=${VGW:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/vgw}
VIP=10.77.0.1
MNTNS_DIR=/run/mntns
LAN_ID=${LAN_ID:-$$}

ns() { echo "vgw${LAN_ID}-$1"; }

# Whatever a test makes with mktemp (logs, configs, keys) goes into one
# directory that lan_destroy removes. World-readable: some tests run vgw as nobody.
LAN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vgw-test.XXXXXX") && chmod 755 "$LAN_TMP"
export TMPDIR=$LAN_TMP

# Run a command in router R's network and mount namespace (it sees its own bpffs).
rx() {
	local r=$1
	shift
	nsenter --mount="$MNTNS_DIR/$(ns "$r")" --net="/run/netns/$(ns "$r")" "$@"
}

# Run a command in any other namespace of the LAN (hosts, switch, server).
nx() {
	local n=$1
	shift
	ip netns exec "$(ns "$n")" "$@"
}

vmac_of() { printf '02:76:67:00:10:%02x' "$1"; } # group 1
host_ip() { echo "10.77.0.$((10 + $1))"; }
router_ip() { echo "10.77.0.$((1 + $1))"; }

_lan_ns_add() {
	ip netns add "$(ns "$1")"
	LAN_NAMESPACES+=("$1")
	nx "$1" ip link set lo up
	nx "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

_router_ns_add() {
	local r=$1 n
	n=$(ns "$r")
	_lan_ns_add "$r"
	mkdir -p "$MNTNS_DIR"
	if ! mountpoint -q "$MNTNS_DIR"; then
		mount --bind "$MNTNS_DIR" "$MNTNS_DIR"
		mount --make-private "$MNTNS_DIR"
	fi
	touch "$MNTNS_DIR/$n"
	# Inside a mount namespace other than the host's (a container, the fresh root of
	# tests/tools/fresh-root.sh) this kernel refuses, for some outer namespaces, to
	# bind new ones made on one CPU (EINVAL: ids come in per-CPU batches, and the new
	# one's is below the outer's). One made on the CPU the outer was made on binds:
	# try each CPU in turn.
	local try ncpu
	ncpu=$(nproc)
	for try in $(seq 0 $((2 * ncpu - 1))); do
		taskset -c $((try % ncpu)) unshare --mount="$MNTNS_DIR/$n" --propagation private true \
			2>/dev/null && break
		[ "$try" = $((2 * ncpu - 1)) ] && unshare --mount="$MNTNS_DIR/$n" --propagation private true
	done
	LAN_MNTNS+=("$n")
	rx "$r" sh -c 'mount -t sysfs sysfs /sys && mount -t bpf bpf /sys/fs/bpf'
}

# lan_create NROUTERS NHOSTS
lan_create() {
	local nr=$1 nh=$2 k i
	LAN_NAMESPACES=()
	LAN_MNTNS=()
	LAN_ROUTERS=$nr
	LAN_HOSTS=$nh
	_lan_ns_add sw
	_lan_ns_add srv
	nx sw ip link add br0 type bridge stp_state 0
	nx sw ip link set br0 up
	nx srv ip link add br0 type bridge stp_state 0
	nx srv ip addr add 10.78.0.100/24 dev br0
	nx srv ip link set br0 up
	nx srv ip route add 10.77.0.0/24 via 10.78.0.2
	for k in $(seq 1 "$nr"); do
		_router_ns_add "r$k"
		ip link add lan0 netns "$(ns "r$k")" type veth peer name "r$k" netns "$(ns sw)"
		ip link add up0 netns "$(ns "r$k")" type veth peer name "r$k" netns "$(ns srv)"
		nx sw ip link set "r$k" master br0 up
		nx srv ip link set "r$k" master br0 up
		rx "r$k" ip addr add "$(router_ip "$k")/24" dev lan0
		rx "r$k" ip addr add "10.78.0.$((1 + k))/24" dev up0
		rx "r$k" ip link set lan0 up
		rx "r$k" ip link set up0 up
		rx "r$k" sysctl -qw net.ipv4.ip_forward=1
	done
	for i in $(seq 1 "$nh"); do
		_lan_ns_add "h$i"
		ip link add eth0 netns "$(ns "h$i")" type veth peer name "h$i" netns "$(ns sw)"
		nx sw ip link set "h$i" master br0 up
		nx "h$i" ip addr add "$(host_ip "$i")/24" dev eth0
		nx "h$i" ip link set eth0 up
		nx "h$i" ip route add default via "$VIP"
	done
	# veth carrier and bridge ports settle
	for k in $(seq 1 "$nr"); do
		lan_wait_port_forwarding "r$k"
	done
	for i in $(seq 1 "$nh"); do
		lan_wait_port_forwarding "h$i"
	done
}

# lan_masquerade: every router masquerades to the upstream with its own
# address, and the server has no route back to the LAN: replies reach a
# router's own address or nothing (connections live in one router's NAT)
lan_masquerade() {
	local k
	for k in $(seq 1 "$LAN_ROUTERS"); do
		rx "r$k" nft -f - <<-'EOF' || fail "r$k: nftables masquerade"
			table ip nat {
				chain post { type nat hook postrouting priority 100; oifname "up0" masquerade; }
			}
		EOF
	done
	nx srv ip route del 10.77.0.0/24
}

lan_wait_port_forwarding() {
	local t
	for t in $(seq 1 50); do
		nx sw bridge link show dev "$1" 2>/dev/null | grep -q "state forwarding" && return 0
		sleep 0.1
	done
	echo "bridge port $1 never reached forwarding" >&2
	return 1
}

lan_destroy() {
	local n
	for n in "${LAN_MNTNS[@]}"; do
		while umount "$MNTNS_DIR/$n" 2>/dev/null; do :; done # stacked by a crashed run, too
		rm -f "$MNTNS_DIR/$n"
	done
	for n in "${LAN_NAMESPACES[@]}"; do
		ip netns del "$(ns "$n")" 2>/dev/null
	done
	LAN_NAMESPACES=()
	LAN_MNTNS=()
	rm -rf "$LAN_TMP"
}

# The MAC host i has cached for the vIP, or nothing.
host_vip_mac() {
	nx "h$1" ip -j neigh show "$VIP" dev eth0 | jq -r '.[0].lladdr // empty'
}

host_vip_state() {
	nx "h$1" ip -j neigh show "$VIP" dev eth0 | jq -r '.[0].state[0] // empty'
}

router_mac() {
	rx "r$1" ip -j link show lan0 | jq -r '.[0].address'
}

# vgw status JSON field of router k: jq filter over `vgw status --json`
router_status() {
	local k=$1
	shift
	rx "r$k" "$VGW" status --iface lan0 --json | jq -r "$@"
}

# Everything vgw may touch on router k's lan0, as text: two equal snapshots
# mean the interface is as it was.
iface_snapshot() {
	local k=$1
	# (2>/dev/null: in the router's mount namespace ip cannot name the peer netns)
	rx "r$k" ip -d link show lan0 2>/dev/null
	rx "r$k" tc qdisc show dev lan0
	rx "r$k" tc filter show dev lan0 ingress
	rx "r$k" tc filter show dev lan0 egress
	rx "r$k" bridge fdb show dev lan0
	rx "r$k" ip -4 addr show dev lan0 2>/dev/null
	rx "r$k" ip -6 addr show dev lan0 2>/dev/null
	rx "r$k" sysctl net.ipv4.conf.lan0.arp_announce net.ipv4.conf.lan0.arp_ignore \
		net.ipv4.conf.lan0.arp_notify net.ipv4.conf.lan0.send_redirects \
		net.ipv4.conf.lan0.rp_filter net.ipv4.conf.all.send_redirects
	# libxdp keeps its (empty) lock directory; anything in it would show
	rx "r$k" find /sys/fs/bpf -mindepth 1 -not -path /sys/fs/bpf/xdp | sort
}

expect_same_snapshot() { # BEFORE AFTER WHAT
	[ "$1" == "$2" ] || fail "$3: interface state differs:"$'\n'"$(diff <(echo "$1") <(echo "$2") | sed 's/^/      /')"
}

# The usual pair: 4 vMACs in group 1, r1 the AVG owning 1 and 3, r2 owning
# 2 and 4, XDP in MODE (native|skb).
load_two_routers() {
	local mode=$1
	rx r1 "$VGW" load --iface lan0 --group 1 --vip "$VIP" --vmacs 4 --own 1,3 --avg --mode "$mode" >/dev/null || fail "load r1"
	rx r2 "$VGW" load --iface lan0 --group 1 --vip "$VIP" --vmacs 4 --own 2,4 --mode "$mode" >/dev/null || fail "load r2"
}

# --- vgw run helpers ---------------------------------------------------------
declare -A DAEMON_PID

# start_daemon K ARGS...: vgw run on router K's lan0, logging to $LAN_LOGDIR/rK.log
start_daemon() {
	local k=$1
	shift
	LAN_LOGDIR=${LAN_LOGDIR:-$(mktemp -d)}
	# not through rx(): $! must be the daemon (nsenter execs vgw), not a subshell
	nsenter --mount="$MNTNS_DIR/$(ns "r$k")" --net="/run/netns/$(ns "r$k")" \
		"$VGW" run --iface lan0 --group 1 --vip "$VIP" "$@" >>"$LAN_LOGDIR/r$k.log" 2>&1 &
	DAEMON_PID[$k]=$!
}

# rx_no_conntrack K CMD...: CMD in router K's namespaces, with conntrack's
# sysctls hidden under a tmpfs in a mount namespace of its own (vgw takes
# conntrack as not loaded). Each step execs the next: $! is CMD itself. Undo
# from outside with: nsenter --mount=/proc/PID/ns/mnt umount /proc/sys/net/netfilter
rx_no_conntrack() {
	local k=$1
	shift
	exec nsenter --mount="$MNTNS_DIR/$(ns "r$k")" --net="/run/netns/$(ns "r$k")" \
		unshare --mount --propagation private \
		sh -c 'mount -t tmpfs none /proc/sys/net/netfilter && exec "$@"' sh "$@"
}

# stop_daemon K [SIGNAL]: signal it and wait (bounded) for it to exit; its exit code
# lands in STOP_RC (124: still running after 20 s, then killed). Not in a subshell.
stop_daemon() {
	local k=$1 sig=${2:-TERM} pid=${DAEMON_PID[$1]:-} t
	STOP_RC=none
	[ -n "$pid" ] || return 0
	kill -"$sig" "$pid" 2>/dev/null
	for t in $(seq 1 400); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		STOP_RC=124
	else
		wait "$pid" 2>/dev/null
		STOP_RC=$?
	fi
	unset "DAEMON_PID[$k]"
}

stop_all_daemons() {
	local k
	for k in "${!DAEMON_PID[@]}"; do
		stop_daemon "$k"
	done
}

daemon_log() { cat "$LAN_LOGDIR/r$1.log" 2>/dev/null; }

# Other processes a test starts in the background (servers, clients): lan_bg
# PID records one (the process's own pid, not a wrapper's); lan_cleanup, a
# test's EXIT trap, ends those still running, then the daemons and the LAN.
LAN_BG_PIDS=()
lan_bg() { LAN_BG_PIDS+=("$@"); }
lan_cleanup() {
	local p running
	running=" $(jobs -p | tr '\n' ' ') "
	for p in "${LAN_BG_PIDS[@]}"; do
		# only a child of ours still running: a pid waited for may be reused
		[[ $running == *" $p "* ]] && kill "$p" 2>/dev/null
	done
	LAN_BG_PIDS=()
	stop_all_daemons
	lan_destroy
}

# The router (1..N) whose status says it owns vMAC index V, or nothing.
owner_router() {
	local v=$1 k
	for k in $(seq 1 "$LAN_ROUTERS"); do
		[ "$(router_status "$k" ".vmacs[$((v - 1))].state" 2>/dev/null)" == owned ] && echo "$k"
	done
}

# The vMAC index a host's ARP entry points at.
host_vmac_index() {
	local mac
	mac=$(host_vip_mac "$1")
	[ -n "$mac" ] && echo $((16#${mac##*:} + 256 * (16#${mac:13:1})))
}

# Longest silence between two consecutive ping replies, in ms, from `ping -D` output on
# stdin; with FROM_MS (epoch ms), only among the replies from then on.
max_reply_gap_ms() { # [FROM_MS]
	awk -F'[][]' -v from="${1:-0}" '/bytes from/ { t = $2 * 1000; if (t < from) next
			if (n++ && t - last > max) max = t - last; last = t }
		END { printf "%d\n", max + 0.5 }'
}

# The packet loss ping reported in FILE, in percent, without the sign.
ping_file_loss() { sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' "$1"; }

# group_roles: sets AVG, STANDBY, FORWARDER to the routers (1..3) holding those roles
group_roles() {
	local k t role
	for t in $(seq 1 100); do
		AVG= STANDBY= FORWARDER=
		for k in $(seq 1 "$LAN_ROUTERS"); do
			role=$(router_status "$k" .role 2>/dev/null)
			case "$role" in
			avg) AVG=$k ;;
			standby) STANDBY=$k ;;
			listen) FORWARDER=$k ;;
			esac
		done
		[ -n "$AVG" ] && [ -n "$STANDBY" ] && { [ "$LAN_ROUTERS" -lt 3 ] || [ -n "$FORWARDER" ]; } && return 0
		sleep 0.1
	done
	return 1
}

# owned_count K: vMACs router K owns
owned_count() {
	router_status "$1" '[.vmacs[] | select(.state == "owned")] | length'
}

# owner_table K: "index owner" lines of router K's table
owner_table() {
	router_status "$1" '.vmacs[] | "\(.index) \(.owner)"'
}

# pin_host I K: host I (after its own ARP) sends through a vMAC that router K owns
pin_host() {
	local i=$1 k=$2 v
	nx "h$i" ping -c 1 -W 1 -q 10.78.0.100 >/dev/null
	v=$(router_status "$k" '[.vmacs[] | select(.state == "owned") | .index][0]')
	nx "h$i" ip neigh replace "$VIP" lladdr "$(vmac_of "$v")" dev eth0 nud permanent
	echo "$v"
}

# router_share K: router K's share of the group's traffic as router 1 sees it (integer percent)
router_share() {
	router_status 1 --arg id "$(router_ip "$1")" '.routers[] | select(.id == $id) | .share | round'
}

# failover_timers HELLO/HOLD: what a failover test runs at and allows. Sets HELLO,
# HOLD and TIMERS (stretched by E2E_SLOW, and then TIMERS says so), INTERVAL (the
# pings' spacing), LIMIT (the longest outage allowed: the hold time plus a hello;
# 50 ms at 10/30) and SLACK (a reply gap is measured between pings, so it can
# exceed the outage by one interval).
failover_timers() {
	TIMERS=$1 HELLO=${1%/*} HOLD=${1#*/}
	if [ "$HELLO" -le 10 ]; then INTERVAL=0.002; else INTERVAL=0.01; fi
	HELLO=$(slow_ms "$HELLO") HOLD=$(slow_ms "$HOLD")
	[ "$E2E_SLOW" -eq 1 ] || TIMERS=$HELLO/$HOLD
	LIMIT=$((HOLD + HELLO))
	[ "$TIMERS" == 10/30 ] && LIMIT=50
	SLACK=$(awk -v i="$INTERVAL" 'BEGIN { print int(i * 1000 + 0.5) }')
}

# ping_load I PERCENT SECONDS: host I sends 100 pings/s whose frames carry 60 bytes per
# percentage point, so shares of bytes/s follow the percentages. On a slow machine
# (E2E_SLOW, a kernel-matrix guest under TCG) it sends E2E_SLOW times fewer pings
# for E2E_SLOW times longer: the same shares, a load the machine keeps up with.
# Pings here are counted (-c), not timed (-w): ping then waits for the last
# replies, where at a deadline a reply still in flight on a busy machine counts lost.
# The pings wait at a gate that ping_loads_go opens for all of them at once: under
# TCG one `ip netns exec` takes a second or more, and loads that start seconds
# apart show the AVG shares that are not the test's when it first measures.
ping_load() {
	local i=$1 pct=$2 secs=$3
	[ "$pct" -gt 0 ] || return 0
	if [ -z "$PING_GATE_FD" ]; then
		exec {PING_GATE_FD}>"$LAN_LOGDIR/ping.gate"
		flock -x "$PING_GATE_FD"
	fi
	rm -f "$LAN_LOGDIR/ping$i.ready"
	# not through nx(): $! must be ping itself (ip, then sh, exec it), so that it can be stopped
	ip netns exec "$(ns "h$i")" sh -c ': >"$0.ready" && flock -s 9 && exec 9<&- && exec "$@"' "$LAN_LOGDIR/ping$i" \
		ping -q -i "$(awk -v s="$E2E_SLOW" 'BEGIN { print 0.01 * s }')" -s $((60 * pct - 42)) \
		-c $((secs * 100)) 10.78.0.100 9<"$LAN_LOGDIR/ping.gate" {PING_GATE_FD}>&- >"$LAN_LOGDIR/ping$i" 2>&1 &
	PING_PID[$i]=$!
	PING_AT_GATE+=("$i")
}
PING_GATE_FD=
PING_AT_GATE=()

# ping_loads_go: once every ping_load so far waits at the gate (10 s x E2E_SLOW at
# most), all their pings start together
ping_loads_go() {
	local i t missing
	for t in $(seq 1 $((100 * E2E_SLOW))); do
		missing=
		for i in "${PING_AT_GATE[@]}"; do
			[ -e "$LAN_LOGDIR/ping$i.ready" ] || missing+=" h$i"
		done
		[ -z "$missing" ] && break
		sleep 0.1
	done
	[ -z "$missing" ] || fail "loads never reached the gate:$missing"
	flock -u "$PING_GATE_FD"
	exec {PING_GATE_FD}>&-
	PING_GATE_FD=
	PING_AT_GATE=()
}
declare -A PING_PID

ping_loss() { ping_file_loss "$LAN_LOGDIR/ping$1"; }

# owned_counts_sorted: how many vMACs each router owns, smallest first ("5 5 6 ")
owned_counts_sorted() {
	local k
	for k in $(seq 1 "$LAN_ROUTERS"); do owned_count "$k"; done | sort -n | tr '\n' ' '
}

# wait_owned "C1 C2 ...": until routers 1..N own that many vMACs each (10 s at most)
wait_owned() {
	local want=$1 got k t
	for t in $(seq 1 $((100 * E2E_SLOW))); do
		got=$(for k in $(seq 1 "$LAN_ROUTERS"); do owned_count "$k"; done | tr '\n' ' ')
		[ "${got% }" == "$want" ] && return 0
		sleep 0.1
	done
	fail "vMACs per router: got '${got% }', want '$want'"
}

# flows SECONDS: hosts 1..3 ping the server at 100/s with timestamps, in the background
flows() {
	local i
	for i in 1 2 3; do
		ip netns exec "$(ns "h$i")" ping -D -i 0.01 -c $(($1 * 100)) 10.78.0.100 >"$LAN_LOGDIR/flow$i" 2>&1 &
		PING_PID[$i]=$!
	done
}

# flows_end PHASE: wait for the pings; set LOSS, GAP (longest silence, ms) and DUPS per
# host and print them
flows_end() {
	local i
	for i in 1 2 3; do
		wait "${PING_PID[$i]}"
		unset "PING_PID[$i]"
		LOSS[$i]=$(ping_file_loss "$LAN_LOGDIR/flow$i")
		GAP[$i]=$(max_reply_gap_ms <"$LAN_LOGDIR/flow$i")
		DUPS[$i]=$(grep -c 'DUP!' "$LAN_LOGDIR/flow$i")
		echo "$1: h$i loss ${LOSS[$i]}%, longest gap ${GAP[$i]} ms, duplicates ${DUPS[$i]}"
	done
}
declare -A LOSS GAP DUPS

# flows_kill: stop pings still running (for EXIT traps)
flows_kill() {
	local i
	for i in "${!PING_PID[@]}"; do kill "${PING_PID[$i]}" 2>/dev/null; done
}

# one_avg [EXCEPT]: exactly one router (leaving out router EXCEPT) says it is the AVG
one_avg() {
	local k n=0
	for k in $(seq 1 "$LAN_ROUTERS"); do
		[ "$k" = "${1:-}" ] && continue
		[ "$(router_status "$k" .role)" = avg ] && n=$((n + 1))
	done
	[ "$n" = 1 ]
}

# start_three_routers ARGS...: vgw run on r1..r3 (priorities 101..103) with ARGS, then
# until there are an AVG, a standby and a forwarder (group_roles sets AVG, STANDBY,
# FORWARDER) and the 16 vMACs are shared 5 5 6
start_three_routers() {
	local k
	for k in 1 2 3; do start_daemon "$k" --priority $((100 + k)) "$@"; done
	group_roles || fail "no AVG, standby and forwarder"
	wait_for 10 "5 5 6 " owned_counts_sorted || fail "vMACs per router: got '$(owned_counts_sorted)'"
}

# pin_hosts_by_role: after group_roles, h1 sends through a vMAC of the AVG, h2 of the
# standby, h3 of the forwarder
pin_hosts_by_role() {
	pin_host 1 "$AVG" >/dev/null
	pin_host 2 "$STANDBY" >/dev/null
	pin_host 3 "$FORWARDER" >/dev/null
}

# routers_neigh_flush: every router forgets its neighbours on lan0 (after an ARP flood:
# the neighbour table is the host's, shared by all namespaces)
routers_neigh_flush() {
	local k
	for k in $(seq 1 "${LAN_ROUTERS:-0}"); do rx "r$k" ip neigh flush dev lan0 2>/dev/null; done
}

# --- IPv6 --------------------------------------------------------------------
# The LAN gets fd00:77::/64 (router k at fd00:77::(1+k), hosts by SLAAC from the
# routers' RAs), upstream fd00:78::/64 (router k at fd00:78::(1+k), server ::100),
# and the virtual link-local VIP6.
VIP6=fe80::1
SRV6=fd00:78::100

# lan_ipv6 [v6only]: IPv6 on in every namespace of the LAN (lan_create turned it off);
# with v6only, the LAN side loses its IPv4 addresses (routers and hosts).
lan_ipv6() {
	local k i
	for n in "${LAN_NAMESPACES[@]}"; do
		nx "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
	done
	for k in $(seq 1 "$LAN_ROUTERS"); do
		rx "r$k" sysctl -qw net.ipv6.conf.lan0.disable_ipv6=0 net.ipv6.conf.up0.disable_ipv6=0 \
			net.ipv6.conf.all.forwarding=1
		rx "r$k" ip addr add "fd00:77::$((1 + k))/64" dev lan0 nodad
		rx "r$k" ip addr add "fd00:78::$((1 + k))/64" dev up0 nodad
		[ "${1:-}" = v6only ] && rx "r$k" ip -4 addr flush dev lan0
	done
	nx srv sysctl -qw net.ipv6.conf.br0.disable_ipv6=0
	nx srv ip addr add "$SRV6/64" dev br0 nodad
	nx srv ip -6 route add fd00:77::/64 via fd00:78::2
	for i in $(seq 1 "$LAN_HOSTS"); do
		# a host as it comes: accept_ra, SLAAC, forwarding off
		nx "h$i" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
		[ "${1:-}" = v6only ] && nx "h$i" ip -4 addr flush dev eth0
	done
	# each interface's own link-local is there once DAD is over
	for k in $(seq 1 "$LAN_ROUTERS"); do
		wait_true 10 rx_has_ll6 "r$k" lan0 || fail "r$k has no IPv6 link-local on lan0"
	done
}

rx_has_ll6() { rx "$1" ip -6 addr show dev "$2" scope link | grep -v tentative | grep -q "inet6 fe80"; }

# radvd_start K [EXTRA]: radvd on router K, RAs from the virtual link-local without a
# Source Link-Layer option (docs/ipv6.md); EXTRA replaces those two lines
radvd_start() {
	local k=$1 conf="$LAN_LOGDIR/radvd$1.conf"
	local src=${2-"AdvSourceLLAddress off; AdvRASrcAddress { $VIP6; };"}
	LAN_LOGDIR=${LAN_LOGDIR:-$(mktemp -d)}
	conf="$LAN_LOGDIR/radvd$k.conf"
	cat >"$conf" <<-CONF
		interface lan0 {
			AdvSendAdvert on;
			MinRtrAdvInterval 3;
			MaxRtrAdvInterval 4;
			$src
			prefix fd00:77::/64 { AdvOnLink on; AdvAutonomous on; };
		};
	CONF
	nsenter --mount="$MNTNS_DIR/$(ns "r$k")" --net="/run/netns/$(ns "r$k")" \
		radvd -n -C "$conf" -p "$LAN_LOGDIR/radvd$k.pid" -m stderr >>"$LAN_LOGDIR/radvd$k.log" 2>&1 &
	RADVD_PID[$k]=$!
}
declare -A RADVD_PID

# radvd_stop K: stop router K's radvd (it sends its last RA, lifetime 0) and wait for it
radvd_stop() {
	[ -n "${RADVD_PID[$1]:-}" ] || return 0
	kill "${RADVD_PID[$1]}" 2>/dev/null
	wait "${RADVD_PID[$1]}" 2>/dev/null
	unset "RADVD_PID[$1]"
}

radvd_stop_all() {
	local k
	for k in "${!RADVD_PID[@]}"; do radvd_stop "$k"; done
}

# start_daemon6 K ARGS...: vgw run on an IPv6-only lan0 (no --vip; router id given)
start_daemon6() {
	local k=$1
	shift
	LAN_LOGDIR=${LAN_LOGDIR:-$(mktemp -d)}
	nsenter --mount="$MNTNS_DIR/$(ns "r$k")" --net="/run/netns/$(ns "r$k")" \
		"$VGW" run --iface lan0 --group 1 --vip6 "$VIP6" --router-id "$(router_ip "$k")" "$@" \
		>>"$LAN_LOGDIR/r$k.log" 2>&1 &
	DAEMON_PID[$k]=$!
}

# The MAC host i has cached for the virtual link-local, and its NUD state.
host_vip6_mac() { nx "h$1" ip -j -6 neigh show "$VIP6" dev eth0 | jq -r '.[0].lladdr // empty'; }
host_vip6_state() { nx "h$1" ip -j -6 neigh show "$VIP6" dev eth0 | jq -r '.[0].state[0] // empty'; }
# Host i's default routes, one "via dev" per line
host_default6() { nx "h$1" ip -j -6 route show default | jq -r '.[] | "\(.gateway) \(.dev)"'; }
host_vmac6_index() {
	local mac
	mac=$(host_vip6_mac "$1")
	[ -n "$mac" ] && echo $((16#${mac##*:} + 256 * (16#${mac:13:1})))
}

# Whether host i has a SLAAC address of fd00:77::/64 past DAD.
host_has_addr6() { nx "h$1" ip -6 addr show dev eth0 scope global | grep -v tentative | grep -q "inet6 fd00:77:"; }

# --- keepalived (Debian's, VRRPv3) on the same LAN ---------------------------
declare -A KA_PID
# ka_start K PRIORITY: keepalived on router K for the vIP/24, advert $KA_ADVERT s
# (0.1 unless set), its config and pid files in $KA_DIR, its log $KA_DIR/kaK.log
ka_start() {
	cat >"$KA_DIR/r$1.conf" <<CONF
global_defs {
    router_id r$1
    vrrp_version 3
}
vrrp_instance VI_1 {
    state BACKUP
    interface lan0
    virtual_router_id 1
    priority $2
    advert_int ${KA_ADVERT:-0.1}
    virtual_ipaddress {
        $VIP/24
    }
}
CONF
	# not through nx(): $! must be keepalived itself
	ip netns exec "$(ns "r$1")" keepalived -n -l -P -f "$KA_DIR/r$1.conf" -p "$KA_DIR/r$1.pid" \
		-r "$KA_DIR/r$1.vrrp.pid" >>"$KA_DIR/ka$1.log" 2>&1 &
	KA_PID[$1]=$!
}

# ka_stop K: SIGTERM keepalived on router K and wait for it (bounded)
ka_stop() {
	local pid=${KA_PID[$1]:-} t
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	for t in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "KA_PID[$1]"
}

ka_stop_all() {
	local k
	for k in "${!KA_PID[@]}"; do ka_stop "$k"; done
}
