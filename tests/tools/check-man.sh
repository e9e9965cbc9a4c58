#!/usr/bin/env bash
# The man pages cover the option table: their templates fill in (vgw-man-page
# names what a template lacks), every option `vgw --help` lists (the help
# comes from the table too) has an entry in vgw(8), and every key a config
# file takes (the run options but -c) has one in vgw.conf(5). Both pages
# build with scdoc. Prints what is missing; exits 1 if anything is.
set -u
cd "$(dirname "$0")/../.."
VGW=${VGW:-build/vgw}
GEN=${GEN:-build/vgw-man-page}
bad=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$GEN" <docs/man/vgw.8.scd.in >"$out/vgw.8.scd" || bad=1
"$GEN" --conf <docs/man/vgw.conf.5.scd.in >"$out/vgw.conf.5.scd" || bad=1
help=$("$VGW" --help 2>&1)
# "NAME|COMMANDS" per option, the help's continuation lines joined to theirs
options=$(echo "$help" | awk '
	/^  -/ { if (o) print o; o = $0; next }
	/^                    / && o { sub(/^ +/, " "); o = o $0; next }
	{ if (o) print o; o = "" }
	END { if (o) print o }' |
	sed -n 's/^  \(\(-[a-z], \)\{0,1\}--[a-z-]*\).*\[\([a-z ]*\)\]$/\1|\3/p')
while IFS='|' read -r name cmds; do
	grep -qF -- "*$name*" "$out/vgw.8.scd" || { echo "vgw(8) lacks $name"; bad=1; }
	case "$name" in -c,*) continue ;; esac
	key=${name#-v, }
	key=${key#--}
	if [[ " $cmds " == *" run "* || " $cmds " == *" all "* ]]; then
		grep -qF -- "*$key*" "$out/vgw.conf.5.scd" || { echo "vgw.conf(5) lacks $key"; bad=1; }
	fi
done <<<"$options"
n=$(echo "$options" | grep -c .)
m=$(grep -cE '^\*(-[a-z], )?--' "$out/vgw.8.scd")
[ "$n" = "$m" ] || { echo "vgw --help lists $n options, vgw(8) $m"; bad=1; }
for page in "$out"/*.scd; do
	scdoc <"$page" >/dev/null || { echo "scdoc fails on $page"; bad=1; }
done
exit $bad
