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
	last_passed=$p last_failed=$((f + c))
}

run_criterion build/unit-tests
run_criterion build/bpf-tests
bpf_suite="VGW-SUITE bpf ${last_passed:-0} ${last_failed:-1}"

# check NAME FUNCTION: one test, passed when FUNCTION succeeds; it leaves what to show
# in $out, and in $note what to add to the PASS line
check() {
	out= note=
	if "$2"; then
		echo "[PASS] $1${note:+ ($note)}"
		passed=$((passed + 1))
	else
		echo "[FAIL] $1"
		echo "$out" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
}

# the man pages cover every option and config key of the option table
man_pages() { out=$(bash tests/tools/check-man.sh 2>&1); }
echo "== man"
check man::every_option_and_key_documented man_pages

# make sim, bare as a newcomer types it: the table of all five methods and the plot
sim_bare() {
	out=$(make -s sim 2>&1) &&
		[ "$(echo "$out" | grep -cE '^(GLBP|host-dependent|least-loaded|re-assignment)')" = 5 ] &&
		[ -s build/sim/sim.png ]
}
echo "== sim"
check sim::make_sim_bare sim_bare

# make demo, bare as a newcomer types it: every step checks itself; the plot is drawn
demo_bare() {
	out=$(make -s demo 2>&1) && [ -s build/demo/shares.png ] &&
		note="$(echo "$out" | sed -n 's/.*Done in \([0-9.]*\) s.*/\1/p') s" && return 0
	out=$(echo "$out" | tail -n 30)
	return 1
}
echo "== demo"
check demo::make_demo demo_bare

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

# The kernel matrix: this kernel's row from the runs above (the matrix's e2e
# are a subset of the e2e), Debian 12's kernel in a QEMU guest
echo "== kernels"
mkdir -p build/kernels
{
	echo "$bpf_suite"
	mp=0 mf=0
	while read -r name; do
		if echo "$out" | grep -qxF "[PASS] e2e::$name"; then mp=$((mp + 1)); else mf=$((mf + 1)); fi
	done < <(grep -v '^#' tests/kernels/e2e-matrix)
	echo "VGW-SUITE e2e $mp $mf"
	bash tests/kernels/suite.sh verifier
} >build/kernels/host-suites.txt 2>&1
out=$(bash tests/kernels/run.sh --host build/kernels/host-suites.txt 2>&1)
echo "$out"
read -r p f < <(echo "$out" | sed -n 's/^kernels: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-1}))

# Faults in combination: a short soak on fixed seeds, a minute each (make chaos:
# the long one, on a random seed). The summary's counts go on the PASS line.
chaos_seed() {
	out=$(CHAOS_SEED=$CHAOS_SEED CHAOS_SECONDS=60 CHAOS_OUT=build/chaos/ci-$CHAOS_SEED \
		bash tests/chaos/run.sh 2>&1)
	local rc=$?
	note=$(echo "$out" | sed -n 's/^  faults injected: \([0-9]*\).*/\1 faults/p')
	note+=$(echo "$out" | sed -n 's/^  violations: \([0-9]*\).*/, \1 violations/p')
	out=$(echo "$out" | grep -v '^  [0-9]' | tail -n 40)
	return $rc
}
# the judge itself, on made-up records: each invariant fires, and is explained
chaos_judge() { out=$(python3 tests/chaos/test_check.py 2>&1); }
echo "== chaos"
check chaos::the_judge_flags_each_broken_promise chaos_judge
for CHAOS_SEED in 2 3; do
	check "chaos::seed_$CHAOS_SEED" chaos_seed
done

echo "vgw: $passed passed, $failed failed"
[ $failed -eq 0 ]
