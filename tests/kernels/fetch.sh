#!/usr/bin/env bash
# tests/kernels/fetch.sh PACKAGE DIR: a Debian kernel package from the archive,
# unpacked into DIR (never installed as this machine's kernel), its modules
# indexed, and an initramfs that mounts this machine's root over 9p. Prints
# the kernel release. Does nothing when DIR already holds them.
set -euo pipefail
pkg=$1 dir=$2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tmp= ird=
trap 'rm -rf "$tmp" "$ird"' EXIT

if [ ! -s "$dir/release" ]; then
	tmp=$(mktemp -d)
	# the metapackage names the current image: linux-image-amd64 -> linux-image-6.1.0-N-amd64
	image=$(apt-cache depends "$pkg" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -1)
	[ -n "$image" ] || image=$pkg
	(cd "$tmp" && apt-get -o APT::Sandbox::User=root download -qq "$image" >/dev/null) || {
		echo "vgw: error: cannot download $image (apt-get download)" >&2
		exit 1
	}
	rm -rf "$dir/root"
	dpkg-deb -x "$tmp"/linux-image-*.deb "$dir/root"
	release=$(ls "$dir/root/lib/modules" | head -1)
	depmod -b "$dir/root" "$release"
	echo "$release" >"$dir/release"
fi
release=$(cat "$dir/release")

if [ ! -s "$dir/initramfs.cpio.gz" ]; then
	ird=$(mktemp -d)
	mkdir -p "$ird"/{bin,dev,proc,sys,newroot,modules}
	cp /bin/busybox "$ird/bin/busybox"
	for t in sh mount insmod mkdir switch_root echo cat sleep poweroff; do
		ln -s busybox "$ird/bin/$t"
	done
	# the 9p and virtio modules in load order (their dependencies first)
	moddir=$dir/root/lib/modules/$release
	: >"$ird/modules/order"
	want() {
		local m=$1 dep
		grep -qx "$m" "$ird/modules/order" && return
		for dep in $(sed -n "s|^$m: *||p" "$moddir/modules.dep"); do
			want "$dep"
		done
		echo "$m" >>"$ird/modules/order"
	}
	for m in virtio_pci 9pnet_virtio 9p; do
		want "$(sed -n "s|^\(kernel/.*/$m\.ko\):.*|\1|p" "$moddir/modules.dep")"
	done
	while read -r m; do
		cp "$moddir/$m" "$ird/modules/"
	done <"$ird/modules/order"
	sed -i 's|.*/||' "$ird/modules/order"
	cp "$here/initramfs-init" "$ird/init"
	chmod +x "$ird/init"
	(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initramfs.cpio.gz"
fi
echo "$release"
