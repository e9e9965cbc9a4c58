#!/usr/bin/env bash
# Repeats the failover e2e scenario and prints each measured gap, for the
# record: failover-trials.sh TRIALS HELLO/HOLD...
set -u
cd "$(dirname "$0")/../e2e"
trials=${1:-3}
shift
for timers in "${@:-1000/3000 100/300 10/30}"; do
	for t in $(seq 1 "$trials"); do
		LAN_ID="ft$t" timeout 120 bash t_failover.sh "$timers" 2>&1 | grep -E "failover at|FAIL:"
	done
done
