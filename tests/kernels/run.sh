#!/usr/bin/env bash
# make test-kernels: the kernel matrix. Each guest kernel of KERNELS boots
# in QEMU (TCG: no /dev/kvm needed) with this machine's root shared
# read-only over 9p, and runs the matrix's suites (tests/kernels/suite.sh:
# bpf, e2e, verifier); the host kernel runs the same suites natively, or
# takes them from --host FILE (VGW-SUITE lines make test already has).
# Prints one table, kernel x suite, and each program's verifier cost per
# kernel (kept in build/kernels/verifier.txt for make bench); exits 1 when
# a cell failed.
#   KERNELS="NAME:PACKAGE ..."  Debian kernel packages (default: Debian 12's own)
#   KERNEL_SUITES=bpf,e2e,verifier
set -u
cd "$(dirname "$0")/../.."
KERNELS=${KERNELS:-debian12:linux-image-amd64}
KERNEL_SUITES=${KERNEL_SUITES:-bpf,e2e,verifier}
GUEST_TIMEOUT=${GUEST_TIMEOUT:-900}
out_dir=build/kernels
mkdir -p "$out_dir"
repo=$(pwd)

host_file=
[ "${1:-}" = --host ] && host_file=$2

for tool in qemu-system-x86_64 busybox cpio depmod; do
	command -v "$tool" >/dev/null || [ -x "/bin/$tool" ] || {
		echo "vgw: error: the kernel matrix needs $tool (make deps)" >&2
		exit 1
	}
done

# rows: "kernel|where|log file"
rows=()

host_log=$out_dir/host.log
if [ -n "$host_file" ]; then
	cp "$host_file" "$host_log"
else
	: >"$host_log"
	for s in ${KERNEL_SUITES//,/ }; do
		bash tests/kernels/suite.sh "$s" >>"$host_log" 2>&1
	done
fi
echo "VGW-GUEST-KERNEL $(uname -r)" >>"$host_log"
rows+=("$(uname -r)|host|$host_log")

for k in $KERNELS; do
	name=${k%%:*} pkg=${k#*:}
	kdir=$out_dir/$name
	log=$out_dir/$name.log
	if ! release=$(bash tests/kernels/fetch.sh "$pkg" "$kdir" 2>"$log.err"); then
		cat "$log.err" >&2
		rows+=("$pkg|guest|$log.err")
		continue
	fi
	kdir=$(cd "$kdir" && pwd)
	start=$(date +%s)
	# -cpu max: every instruction TCG knows, so the guest kernel picks the same code paths.
	# nice -n -10: the emulator ahead of whatever else keeps a CI machine busy, so the
	# guest's clock-driven tests (hellos, hold times) see the host's load less.
	timeout --kill-after=10 "$GUEST_TIMEOUT" nice -n -10 qemu-system-x86_64 -machine pc -cpu max -smp 2 \
		-m 2048 -nographic -no-reboot -monitor none -serial stdio -display none \
		-kernel "$kdir/root/boot/vmlinuz-$release" -initrd "$kdir/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 quiet vgw.init=$repo/tests/kernels/guest.sh vgw.repo=$repo vgw.kdir=$kdir vgw.suites=$KERNEL_SUITES" \
		-fsdev local,id=hostroot,path=/,readonly=on,security_model=none,multidevs=remap \
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot </dev/null >"$log" 2>&1
	rc=$?
	echo "vgw: $release: guest ran $(($(date +%s) - start)) s (qemu exit $rc)"
	grep -q '^VGW-GUEST-EXIT' "$log" || {
		echo "vgw: $release: the guest did not finish (timeout ${GUEST_TIMEOUT}s?); its last lines:"
		tail -n 30 "$log" | sed 's/^/    /'
	}
	rows+=("$release|guest|$log")
done

# each failing suite's own output, then the table
bad=0
printf '\n%-26s %-6s' kernel where
for s in ${KERNEL_SUITES//,/ }; do printf ' %-18s' "$s"; done
printf '\n'
table=
for row in "${rows[@]}"; do
	IFS='|' read -r kernel where log <<<"$row"
	line=$(printf '%-26s %-6s' "$kernel" "$where")
	for s in ${KERNEL_SUITES//,/ }; do
		read -r p f < <(tr -d '\r' <"$log" | sed -n "s/^VGW-SUITE $s \([0-9]*\) \([0-9]*\)$/\1 \2/p" | tail -1)
		if [ -z "${p:-}" ]; then
			cell="FAILED (no result)"
			bad=1
		elif [ "$f" -gt 0 ]; then
			cell="FAILED ($f of $((p + f)))"
			bad=1
		else
			cell="passed ($p)"
		fi
		line+=$(printf ' %-18s' "$cell")
	done
	table+="$line"$'\n'
done
printf '%s' "$table"

# verifier cost per program and kernel, kept for make bench
{
	printf '%-32s %-26s %7s %10s %12s\n' program kernel insns processed peak_states
	for row in "${rows[@]}"; do
		IFS='|' read -r kernel where log <<<"$row"
		tr -d '\r' <"$log" | sed -n 's/^VGW-VERIFIER \([^ ]*\) \([^ ]*\) insns \([0-9]*\) processed \([0-9]*\) peak_states \([0-9]*\)$/\2 \1 \3 \4 \5/p'
	done | sort -k1,1 -k2,2V | while read -r prog kernel insns processed peak; do
		printf '%-32s %-26s %7s %10s %12s\n' "$prog" "$kernel" "$insns" "$processed" "$peak"
	done
} >"$out_dir/verifier.txt"
if [ "$(wc -l <"$out_dir/verifier.txt")" -gt 1 ]; then
	printf '\nverifier cost (insns: after verification; processed, peak_states: the verifier'"'"'s own)\n'
	cat "$out_dir/verifier.txt"
fi

if [ $bad -ne 0 ]; then
	for row in "${rows[@]}"; do
		IFS='|' read -r kernel where log <<<"$row"
		# -a: a serial console's log has bytes grep takes for binary
		grep -aq 'VGW-SUITE [a-z0-9]* [0-9]* [1-9]' "$log" || continue
		printf '\n== %s (%s): failing output\n' "$kernel" "$where"
		tr -d '\r' <"$log" | grep -aE '^\[FAIL\]|^    |FAIL:|VGW-SUITE|vgw-verifier-cost' | head -n 150
	done
fi
# which tests failed where, last (a truncated log keeps its tail)
for row in "${rows[@]}"; do
	IFS='|' read -r kernel where log <<<"$row"
	tr -d '\r' <"$log" | sed -n "s/^VGW-SUITE-FAILED \([a-z0-9]*\) \(.*\)$/$kernel: \1 failed: \2/p"
done
n_cells=$((${#rows[@]} * $(echo "${KERNEL_SUITES//,/ }" | wc -w)))
if [ $bad -eq 0 ]; then
	echo "kernels: $n_cells passed, 0 failed"
else
	echo "kernels: $(printf '%s' "$table" | grep -o 'passed (' | wc -l) passed, $(printf '%s' "$table" | grep -o 'FAILED (' | wc -l) failed"
fi
exit $bad
