#!/usr/bin/env bash
# `vgw unload` leaves the interface exactly as it found it: no XDP, no tc
# filters or qdisc of ours, no unicast-filter entries, no pins, no vIP, the
# sysctls as they were; and what others had there before stays.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/assert.sh"
trap lan_destroy EXIT
EMPTY_OBJ=$(dirname "$VGW")/empty.bpf.o
LOAD=(load --iface lan0 --group 1 --vip "$VIP" --vmacs 4 --own 1,3 --avg)

lan_create 1 1

# 1. a bare interface
before=$(iface_snapshot 1)
rx r1 "$VGW" "${LOAD[@]}" >/dev/null || fail "load on a bare interface"
during=$(iface_snapshot 1)
[[ "$during" == *"prog/xdp"* ]] || fail "no XDP program while loaded"
[[ "$during" == *"vgw_tc_egress"* ]] || fail "no egress filter while loaded"
[[ "$during" == *"vgw_tc_ingress"* ]] || fail "no ingress filter while loaded"
[[ "$during" == *"02:76:67:00:10:01 self permanent"* ]] || fail "vMAC 1 not in the unicast filter"
[[ "$during" == *"02:76:67:00:10:02 self"* ]] && fail "foreign vMAC 2 in the unicast filter"
[[ "$during" == *"inet $VIP/32"* ]] || fail "no vIP while loaded"
[[ "$during" == *"/sys/fs/bpf/vgw/lan0/vmac_table"* ]] || fail "no pinned vmac_table"
expect_eq "$(rx r1 sysctl -n net.ipv4.conf.lan0.arp_announce)" 2 "arp_announce while loaded"
expect_eq "$(rx r1 sysctl -n net.ipv4.conf.lan0.arp_ignore)" 1 "arp_ignore while loaded"
expect_eq "$(rx r1 sysctl -n net.ipv4.conf.all.send_redirects)" 0 "all.send_redirects while loaded"
rx r1 "$VGW" unload --iface lan0 >/dev/null || fail "unload"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "after unload from a bare interface"

# 1b. in skb mode the kernel re-marks rewritten frames itself: no ingress hook,
#     which every frame would pay for
rx r1 "$VGW" "${LOAD[@]}" --mode skb >/dev/null || fail "load in skb mode"
during=$(iface_snapshot 1)
[[ "$during" == *"vgw_tc_egress"* ]] || fail "no egress filter in skb mode"
[[ "$during" == *"vgw_tc_ingress"* ]] && fail "an ingress filter in skb mode"
rx r1 "$VGW" unload --iface lan0 >/dev/null || fail "unload in skb mode"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "after unload in skb mode"

# 2. an interface with someone else's clsact filters, the vIP already on it,
#    strict rp_filter and other ARP settings
rx r1 tc qdisc add dev lan0 clsact
rx r1 tc filter add dev lan0 ingress pref 7 bpf da obj "$EMPTY_OBJ" sec tc
rx r1 tc filter add dev lan0 egress pref 7 bpf da obj "$EMPTY_OBJ" sec tc
rx r1 ip addr add "$VIP/32" dev lan0
rx r1 sysctl -qw net.ipv4.conf.lan0.rp_filter=1 net.ipv4.conf.lan0.arp_ignore=2 net.ipv4.conf.lan0.arp_notify=1
before=$(iface_snapshot 1)
rx r1 "$VGW" "${LOAD[@]}" >/dev/null || fail "load beside other filters"
during=$(iface_snapshot 1)
[[ "$during" == *"vgw_tc_egress"* && "$during" == *"empty.bpf.o:[tc]"* ]] || fail "both egress filters while loaded"
expect_eq "$(rx r1 sysctl -n net.ipv4.conf.lan0.rp_filter)" 2 "strict rp_filter loosened while loaded"
expect_eq "$(rx r1 sysctl -n net.ipv4.conf.lan0.arp_ignore)" 1 "arp_ignore while loaded"
rx r1 "$VGW" unload --iface lan0 >/dev/null || fail "unload beside other filters"
expect_same_snapshot "$before" "$(iface_snapshot 1)" "after unload beside other filters"
exit $E2E_FAILED
