#!/usr/bin/env bash
# Assertions for the e2e scripts: each failed one prints why and marks the test failed.
E2E_FAILED=0

fail() {
	echo "    FAIL: $*"
	E2E_FAILED=1
}

expect_eq() { # GOT WANT WHAT
	[ "$1" == "$2" ] || fail "$3: got '$1', want '$2'"
}

expect_ne() { # GOT UNWANTED WHAT
	[ "$1" != "$2" ] || fail "$3: got '$1'"
}

expect_match() { # GOT REGEX WHAT
	[[ "$1" =~ $2 ]] || fail "$3: '$1' does not match /$2/"
}

expect_at_most() { # GOT MAX WHAT (decimals allowed)
	awk -v g="$1" -v m="$2" 'BEGIN { exit !(g != "" && g + 0 <= m + 0) }' || fail "$3: got '$1', want <= $2"
}

expect_ge() { # GOT MIN WHAT
	[ "$1" -ge "$2" ] 2>/dev/null || fail "$3: got '$1', want >= $2"
}

# Poll CMD (a string) until it prints WANT, at most SECONDS seconds (times E2E_SLOW).
wait_for() { # SECONDS WANT CMD...
	local secs=$(($1 * ${E2E_SLOW:-1})) want=$2 t got
	shift 2
	for t in $(seq 1 $((secs * 10))); do
		got=$("$@" 2>/dev/null)
		[ "$got" == "$want" ] && return 0
		sleep 0.1
	done
	return 1
}

# Poll until CMD... succeeds, at most SECONDS seconds (times E2E_SLOW; a
# deadline, not a count of tries).
wait_true() { # SECONDS CMD...
	local end=$(($(date +%s%N) / 1000000 + $1 * 1000 * ${E2E_SLOW:-1}))
	shift
	while :; do
		"$@" 2>/dev/null && return 0
		[ $(($(date +%s%N) / 1000000)) -lt $end ] || return 1
		sleep 0.1
	done
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
