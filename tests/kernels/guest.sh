#!/bin/bash
# PID 1 of the kernel-matrix guest after switch_root: this machine's root,
# read-only over 9p, as the guest's root. Makes what a system needs writable
# (tmpfs), lets the guest kernel load its own modules on demand, runs the
# suites named on the command line and reports each on the serial console:
#   VGW-SUITE <suite> <passed> <failed>
#   VGW-GUEST-EXIT <status>
# then powers the guest off.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH HOME=/tmp LANG=C.UTF-8 TERM=dumb
# TCG runs the e2e several times slower: stretched timers, traffic and deadlines (tests/e2e/lib.sh)
export E2E_SLOW=4

mount -t proc proc /proc
mount -t sysfs sysfs /sys
repo= suites= kdir=
for a in $(cat /proc/cmdline); do
	case $a in
	vgw.repo=*) repo=${a#vgw.repo=} ;;
	vgw.suites=*) suites=${a#vgw.suites=} ;;
	vgw.kdir=*) kdir=${a#vgw.kdir=} ;;
	esac
done
# the tree may live where a tmpfs is about to go (a clone in /tmp): it stays
# reachable at its own path through a bind mount made before
mount --bind "$repo" /mnt
for d in /tmp /run /var/tmp /var/lib /var/log /var/cache /root; do
	mount -t tmpfs tmpfs "$d"
done
[ -d "$repo" ] || { mkdir -p "$repo" && mount --bind /mnt "$repo"; }
mkdir -p /dev/pts /dev/shm /run/netns /var/lib/dpkg
mount -t devpts devpts /dev/pts
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmpfs /dev/shm
mount -t bpf bpf /sys/fs/bpf
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
echo 1 >/proc/sys/kernel/sysrq
ip link set lo up

finish() {
	echo "VGW-GUEST-EXIT $1"
	sync
	echo o >/proc/sysrq-trigger
	sleep 10
}

# modprobe on the guest kernel's own modules: for the kernel, which runs this
# path for every module it wants (veth, bridge, nf_tables...), and for the tests
mkdir -p /run/bin
cat >/run/bin/modprobe <<EOW
#!/bin/sh
exec /sbin/modprobe -d $kdir/root "\$@"
EOW
chmod +x /run/bin/modprobe
echo /run/bin/modprobe >/proc/sys/kernel/modprobe
PATH=/run/bin:$PATH
cd "$repo" || finish 125

echo "VGW-GUEST-KERNEL $(uname -r)"
status=0
for s in ${suites//,/ }; do
	# straight to the console: a guest that runs out of time still shows how far it got
	bash tests/kernels/suite.sh "$s" 2>&1 || status=1
done
finish $status
