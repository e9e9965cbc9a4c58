#!/usr/bin/env bash
# make bench: what each program costs the verifier, per kernel. The kernel
# matrix (make test, make test-kernels) keeps every kernel's figures in
# build/kernels/verifier.txt; without it, this kernel's alone are measured.
cd "$(dirname "$0")/../.."
table=build/kernels/verifier.txt
echo "verifier cost per program and kernel (insns: after verification; processed, peak_states: the verifier's own)"
if [ -s "$table" ] && [ "$table" -nt build/vgw_tc.bpf.o ] && [ "$table" -nt build/vgw_xdp.bpf.o ]; then
	cat "$table"
	echo "(from the kernel matrix run of $(date -r "$table" '+%F %T'))"
	exit 0
fi
printf '%-32s %-26s %7s %10s %12s\n' program kernel insns processed peak_states
build/vgw-verifier-cost | while read -r _ kernel prog _ insns _ processed _ peak; do
	printf '%-32s %-26s %7s %10s %12s\n' "$prog" "$kernel" "$insns" "$processed" "$peak"
done
echo "(this kernel only: make test-kernels adds the guest kernels)"
