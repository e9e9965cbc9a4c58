#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS from the committed seed corpus (new
# inputs go to a scratch copy, not into the repository) and prints one line
# per target: [PASS]/[FAIL] fuzz::NAME with the executions run.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-60}
failed=0
for t in hello config; do
	work=$(mktemp -d)
	cp tests/fuzz/corpus/$t/* "$work/"
	out=$(build/fuzz-$t -max_total_time="$secs" -print_final_stats=1 -close_fd_mask=1 \
		-artifact_prefix="$work/" "$work" 2>&1)
	rc=$?
	execs=$(echo "$out" | sed -n 's/^stat::number_of_executed_units: *//p')
	if [ $rc -eq 0 ]; then
		echo "[PASS] fuzz::$t (${execs:-?} executions in ${secs} s)"
	else
		echo "[FAIL] fuzz::$t (exit $rc)"
		echo "$out" | tail -30 | sed 's/^/    /'
		ls "$work"/crash-* "$work"/leak-* 2>/dev/null | sed 's/^/    kept: /'
		failed=$((failed + 1))
	fi
	[ $rc -eq 0 ] && rm -rf "$work"
done
[ $failed -eq 0 ]
