#!/usr/bin/env bash
# Runs every e2e script (in each XDP mode where it takes one), each in its own
# LAN of namespaces and bounded in time, and prints one line per test and a total.
set -u
cd "$(dirname "$0")"
PER_TEST_TIMEOUT=${PER_TEST_TIMEOUT:-$((180 * ${E2E_SLOW:-1}))}
passed=0
failed=0

run_one() { # NAME SCRIPT ARGS...
	local name=$1 out rc
	shift
	out=$(LAN_ID="$$x$((passed + failed))" timeout --kill-after=10 "$PER_TEST_TIMEOUT" bash "$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		echo "[PASS] e2e::$name"
	else
		failed=$((failed + 1))
		[ $rc -eq 124 ] && out+=$'\n'"    timed out after ${PER_TEST_TIMEOUT}s"
		echo "[FAIL] e2e::$name (exit $rc)"
		echo "$out" | sed 's/^/    /'
	fi
}

# run.sh [PATTERN]: the tests whose name holds PATTERN (all without one);
# run.sh --exact NAME...: just those, by their full names (t_NAME.sh or NAME[PARAM])
exact=()
only=${1:-}
if [ "$only" = --exact ]; then
	shift
	exact=("$@")
	only=
fi
wanted() {
	local e
	[ ${#exact[@]} -eq 0 ] && return 0
	for e in "${exact[@]}"; do
		[ "$e" = "$1" ] && return 0
	done
	return 1
}
for t in t_*.sh; do
	name=${t#t_}
	name=${name%.sh}
	[ -n "$only" ] && [[ "$name" != *$only* ]] && continue
	params=$(sed -n 's/^# e2e-params: //p' "$t")
	if [ -n "$params" ]; then
		for p in $params; do
			wanted "$name[$p]" && run_one "$name[$p]" "$t" "$p"
		done
	elif grep -q '^MODE=' "$t"; then
		wanted "$name[native]" && run_one "$name[native]" "$t" native
		wanted "$name[skb]" && run_one "$name[skb]" "$t" skb
	else
		wanted "$name" && run_one "$name" "$t"
	fi
done
echo "e2e: $passed passed, $failed failed"
[ $failed -eq 0 ]
