#!/usr/bin/env bash
# make deb: build/deb/vgw_VERSION_ARCH.deb with debhelper, from a copy of the
# tree (dpkg-buildpackage cleans the tree it builds in: never the developer's
# build/), then lintian on it; exits non-zero on a lintian error.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^#define VGW_VERSION "\(.*\)"$/\1/p' loader/version.h)
changelog=$(sed -n '1s/^vgw (\([^)]*\)).*/\1/p' debian/changelog)
if [ "$version" != "$changelog" ]; then
	echo "vgw: error: loader/version.h says $version, debian/changelog $changelog" >&2
	exit 1
fi
arch=$(dpkg --print-architecture)
out=build/deb
src=$out/src/vgw-$version
rm -rf "$out"
mkdir -p "$src"
tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$src"
(cd "$src" && dpkg-buildpackage -b -us -uc >../build.log 2>&1) || {
	tail -n 30 "$out/src/build.log" >&2
	echo "vgw: error: dpkg-buildpackage failed (log: $out/src/build.log)" >&2
	exit 1
}
mv "$out/src/vgw_${version}_${arch}.deb" "$out/"
rm -rf "$out/src/vgw-$version"
deb=$out/vgw_${version}_${arch}.deb
# errors fail the build; warnings and notes are shown
lintian --fail-on error --tag-display-limit 0 "$deb" 2> >(grep -v "running with root privileges" >&2) | tee "$out/lintian.txt"
echo "package: $deb"
