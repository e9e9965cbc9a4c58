#!/usr/bin/env bash
# make test: unit tests, BPF program tests and end-to-end tests, then one total.
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0

# Criterion prints "Synthesis: Tested: N | Passing: P | Failing: F | Crashing: C"
run_criterion() {
	local bin=$1 out rc p f c
	echo "== $bin"
	out=$("$bin" --jobs 2 2>&1)
	rc=$?
	echo "$out" | grep -v '^\[----\] .*Assertion Passed' | tail -n 40
	read -r p f c < <(echo "$out" | sed -n 's/.*Passing: \([0-9]*\) | Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2 \3/p' | tail -1)
	if [ -z "${p:-}" ]; then
		echo "$bin printed no synthesis (exit $rc)"
		failed=$((failed + 1))
		return
	fi
	passed=$((passed + p))
	failed=$((failed + f + c))
	[ $rc -eq 0 ] || [ $((f + c)) -gt 0 ] || failed=$((failed + 1))
}

run_criterion build/unit-tests
run_criterion build/bpf-tests

# the man pages cover every option and config key of the option table
echo "== man"
if out=$(bash tests/tools/check-man.sh 2>&1); then
	echo "[PASS] man::every_option_and_key_documented"
	passed=$((passed + 1))
else
	echo "[FAIL] man::every_option_and_key_documented"
	echo "$out" | sed 's/^/    /'
	failed=$((failed + 1))
fi

# make sim, bare as a newcomer types it: the table of all five methods and the plot
echo "== sim"
if out=$(make -s sim 2>&1) && [ "$(echo "$out" | grep -cE '^(GLBP|host-dependent|least-loaded|re-assignment)')" = 5 ] &&
	[ -s build/sim/sim.png ]; then
	echo "[PASS] sim::make_sim_bare"
	passed=$((passed + 1))
else
	echo "[FAIL] sim::make_sim_bare"
	echo "$out" | sed 's/^/    /'
	failed=$((failed + 1))
fi

# make demo, bare as a newcomer types it: every step checks itself; the plot is drawn
echo "== demo"
if out=$(make -s demo 2>&1) && [ -s build/demo/shares.png ]; then
	echo "[PASS] demo::make_demo ($(echo "$out" | sed -n 's/.*Done in \([0-9.]*\) s.*/\1/p') s)"
	passed=$((passed + 1))
else
	echo "[FAIL] demo::make_demo"
	echo "$out" | tail -n 30 | sed 's/^/    /'
	failed=$((failed + 1))
fi

# the hello decoder and the config parser under libFuzzer, briefly (make fuzz: longer)
echo "== fuzz"
out=$(bash tests/fuzz/run.sh 5 2>&1)
echo "$out"
passed=$((passed + $(echo "$out" | grep -c '^\[PASS\]')))
failed=$((failed + $(echo "$out" | grep -c '^\[FAIL\]')))

echo "== e2e"
out=$(bash tests/e2e/run.sh 2>&1)
echo "$out"
read -r p f < <(echo "$out" | sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-1}))

echo "vgw: $passed passed, $failed failed"
[ $failed -eq 0 ]
