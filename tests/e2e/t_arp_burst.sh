#!/usr/bin/env bash
# Herd protection: 30 hosts ARP for the vIP at once (hosts booting together).
# Under least-loaded the answers spread over the routers no worse than under
# round-robin; both are measured here, one after the other.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap 'stop_all_daemons; lan_destroy' EXIT
HOSTS=30

lan_create 2 "$HOSTS"

# burst LB: run the group with --lb LB, let every host ARP at once; sets N1 N2 (hosts per router)
burst() {
	local lb=$1 i k v pids=()
	N1=0 N2=0
	for k in 1 2; do start_daemon "$k" --priority $((100 + k)) --hello-ms 100 --hold-ms 300 --lb "$lb" --poll-ms 200; done
	wait_owned "8 8"
	for i in $(seq 1 "$HOSTS"); do nx "h$i" ip neigh flush dev eth0; done
	# all hosts wait at a barrier, so their ARPs leave within milliseconds, as at a boot storm
	local go
	go=$(mktemp -u)
	for i in $(seq 1 "$HOSTS"); do
		ip netns exec "$(ns "h$i")" sh -c "while [ ! -e $go ]; do sleep 0.005; done; ping -c 1 -W 2 -q 10.78.0.100 >/dev/null" &
		pids+=($!)
	done
	sleep 0.5
	touch "$go"
	wait "${pids[@]}"
	rm -f "$go"
	if [ -n "${BURST_DEBUG:-}" ]; then
		for k in 1 2; do
			echo "r$k role $(router_status "$k" .role) host_load $(rx "r$k" bpftool map dump pinned /sys/fs/bpf/vgw/lan0/steer_params | jq '.[0].value.host_load')" >&2
			rx "r$k" bpftool -j map dump pinned /sys/fs/bpf/vgw/lan0/arp_answers | jq -c '[.[] | .value] | .[1:17]' >&2
			rx "r$k" bpftool -j map dump pinned /sys/fs/bpf/vgw/lan0/steer_vmacs | jq -c '[.[] | .value | [.load, .answers_base, .router]] | .[1:17]' >&2
		done
	fi
	mapfile -t owners < <(router_status 1 '.vmacs[].owner')
	for i in $(seq 1 "$HOSTS"); do
		v=$(host_vmac_index "$i")
		[ -n "$v" ] || { fail "h$i has no vMAC under $lb"; continue; }
		if [ "${owners[$((v - 1))]}" == 10.77.0.2 ]; then N1=$((N1 + 1)); else N2=$((N2 + 1)); fi
	done
	stop_all_daemons
}

burst round-robin
rr1=$N1 rr2=$N2
burst least-loaded
ll1=$N1 ll2=$N2
rr_gap=$((rr1 > rr2 ? rr1 - rr2 : rr2 - rr1))
ll_gap=$((ll1 > ll2 ? ll1 - ll2 : ll2 - ll1))
echo "30 hosts at once: round-robin $rr1/$rr2, least-loaded $ll1/$ll2"
expect_eq "$((ll1 + ll2))" "$HOSTS" "hosts that got a vMAC under least-loaded"
[ "$ll_gap" -le "$rr_gap" ] || [ "$ll_gap" -le 2 ] || fail "least-loaded spread $ll1/$ll2 is worse than round-robin's $rr1/$rr2"
exit $E2E_FAILED
