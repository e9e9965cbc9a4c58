#!/usr/bin/env bash
# tests/kernels/suite.sh SUITE: one suite of the kernel matrix on the running
# kernel (the host's, or a guest's): its output, then one line
#   VGW-SUITE <suite> <passed> <failed>
# and exit 0 when nothing failed. Suites: bpf (every BPF fixture), e2e (a
# namespace LAN: election, ARP steering, forwarding through the owner, a
# forwarder failover, a balance move, IPv6 ND steering, a handoff through
# NAT), verifier (each program's verification cost).
set -u
cd "$(dirname "$0")/../.."
suite=$1
E2E_MATRIX=$(grep -v '^#' tests/kernels/e2e-matrix)
p= f=

case $suite in
bpf)
	out=$(build/bpf-tests --jobs 2 2>&1)
	echo "$out" | grep -E '^\[(FAIL|----)\]|Synthesis' | grep -v 'Assertion Passed' | tail -n 40
	read -r p f c < <(echo "$out" | sed -n 's/.*Passing: \([0-9]*\) | Failing: \([0-9]*\) | Crashing: \([0-9]*\).*/\1 \2 \3/p' | tail -1)
	[ -n "${p:-}" ] && f=$((f + c))
	;;
e2e)
	# shellcheck disable=SC2086 # the names are words
	# each test's line as it ends (a guest's console shows progress)
	tmp=$(mktemp)
	bash tests/e2e/run.sh --exact $E2E_MATRIX 2>&1 | tee "$tmp"
	out=$(cat "$tmp")
	rm -f "$tmp"
	read -r p f < <(echo "$out" | sed -n 's/^e2e: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
	;;
verifier)
	# the handoff's build needs the conntrack kfuncs (nf_conntrack may be a module)
	modprobe -q nf_conntrack 2>/dev/null
	out=$(build/vgw-verifier-cost 2>&1)
	rc=$?
	echo "$out"
	p=$(echo "$out" | grep -c '^VGW-VERIFIER ')
	f=$((rc != 0))
	;;
*)
	echo "vgw: error: no suite $suite (bpf, e2e, verifier)" >&2
	exit 2
	;;
esac
# no count at all (the suite did not run) is one failure
[ -n "${p:-}" ] || { p=0 f=1; }
# the failed tests by name, for the matrix's summary
failed=$(echo "${out:-}" | sed -n 's/^\[FAIL\] \([^ ]*[^ :]\).*/\1/p' | sort -u | tr '\n' ' ')
[ -z "$failed" ] || echo "VGW-SUITE-FAILED $suite ${failed% }"
echo "VGW-SUITE $suite $p $f"
[ "$f" -eq 0 ]
