#!/usr/bin/env bash
# make bench-failover: vgw and keepalived (Debian's, VRRPv3) on the same namespace
# LAN at equal detection settings, trials interleaved: the longest reply gap a host
# sees when a router's LAN link goes down. vgw: tests/e2e/t_failover.sh (a
# forwarder, then the AVG, of three routers); keepalived: tests/bench/ka_failover.sh
# (the master of two). TRIALS (3) rounds; SETTINGS "vgw-hello/hold:advert ...".
set -u
cd "$(dirname "$0")"
TRIALS=${TRIALS:-3}
SETTINGS=${SETTINGS:-10/30:0.01 100/300:0.1 1000/3000:1}
declare -A G
for t in $(seq 1 "$TRIALS"); do
	for s in $SETTINGS; do
		timers=${s%:*} advert=${s#*:}
		out=$(LAN_ID="bf$t" timeout 180 bash ../e2e/t_failover.sh "$timers" 2>&1)
		G[vgw-fwd,$s]+="$(sed -n 's/^forwarder failover at .*longest gap \([0-9]*\) ms.*/\1/p' <<<"$out") "
		G[vgw-avg,$s]+="$(sed -n 's/^AVG failover at .*longest gap \([0-9]*\) ms.*/\1/p' <<<"$out") "
		grep -q "FAIL:" <<<"$out" && echo "(vgw $timers, trial $t: $(grep -m1 'FAIL:' <<<"$out" | sed 's/^ *//'))"
		out=$(LAN_ID="bk$t" timeout 120 bash ka_failover.sh "$advert" 2>&1)
		G[ka,$s]+="$(sed -n 's/^keepalived master failover.*longest gap \([0-9]*\) ms.*/\1/p' <<<"$out") "
		grep -q "FAIL:" <<<"$out" && echo "(keepalived $advert s, trial $t: $(grep -m1 'FAIL:' <<<"$out" | sed 's/^ *//'))"
	done
done

stats() { # "min / median / max" of the numbers on stdin, or "-"
	tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "-"; else printf "%d / %d / %d", v[1], v[int((NR + 1) / 2)], v[NR] }'
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "" }'; }

echo "failover: longest reply gap in ms (min / median / max of $TRIALS trials), a router's LAN link down"
printf '%-20s %-22s %-22s %-22s %s\n' "vgw | keepalived" "vgw forwarder" "vgw AVG" "keepalived master" "vgw <= keepalived"
for s in $SETTINGS; do
	timers=${s%:*} advert=${s#*:}
	f=$(median <<<"${G[vgw-fwd,$s]}") a=$(median <<<"${G[vgw-avg,$s]}") k=$(median <<<"${G[ka,$s]}")
	verdict=$(awk -v f="$f" -v a="$a" -v k="$k" 'BEGIN { if (f == "" || a == "" || k == "") print "?"; else print (f <= k && a <= k) ? "yes" : "NO" }')
	printf '%-20s %-22s %-22s %-22s %s\n' "$timers | ${advert} s" "$(stats <<<"${G[vgw-fwd,$s]}")" \
		"$(stats <<<"${G[vgw-avg,$s]}")" "$(stats <<<"${G[ka,$s]}")" "$verdict"
done
echo "(a keepalived backup's failure stops no traffic: only the master forwards)"
