#!/usr/bin/env bash
# The liability-inversion study (docs/liability-inversion.md): one
# -icount boot per injected fault, each running pagertest role=study
# (tests/guest/pager/study.c) over every policy and deadline, and the
# rows it prints gathered into build/study/results.csv.
#
#   tests/study/run.sh [quick]
#
# quick: a few faults and one deadline, for make test; the boots must
# show what the issue expects of them (see the checks at the end).
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

out=build/study
mkdir -p "$out/logs"
csv=$out/results.csv
[ "${1:-}" = quick ] && csv=$out/quick.csv

policies=fail,wait,retry,zero,fallback
deadlines=100,500,2000
faults="none delay:300 delay:3000 hang exit exit_writeback drop:250 error wrong_data
	wrong_offset no_ack self_deadlock cycle"
if [ "${1:-}" = quick ]; then
	policies=fail,wait,fallback
	deadlines=500
	faults="none hang exit"
fi

fields=fault,arg,policy,deadline_ms,live,outcome,misbehaved,served,failed,wrong,hung
fields=$fields,detect_us,detect_instr,recover_us,recover_instr,lost_bytes,unavailable_bytes
echo "$fields" >"$csv"

# One boot: the fault NAME[:ARG] over every policy and deadline.
study_boot() {
	local fault=${1%%:*} arg=0 log
	[ "$fault" != "$1" ] && arg=${1#*:}
	log=$out/logs/$fault-$arg.log
	boot "study_${fault}_$arg" --module "$BOOTSTRAP" --module "$FAULTPAGER" \
		--module "$PAGERTEST role=study fault=$fault arg=$arg policies=$policies deadlines=$deadlines" \
		--icount --timeout 600 --log "$log" \
		--expect "^study: done, [0-9]+ runs$" \
		--reject "could not start" --reject "panic"
	# "study: k=v k=v ..." -> the values, in the order of $fields.
	sed -n 's/\r$//; s/^study: \(fault=.*\)$/\1/p' "$log" | grep -v "could not start" |
		awk -v fields="$fields" '{
			n = split(fields, f, ",")
			for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			line = v[f[1]]
			for (i = 2; i <= n; i++) line = line "," v[f[i]]
			print line
		}' >>"$csv"
}

for f in $faults; do
	study_boot "$f"
done
echo "# study: $(($(wc -l <"$csv") - 1)) runs in $csv"
[ "${1:-}" = quick ] || exit $failed

# expect NAME AWK-CONDITION: the quick run's rows must bear out what the
# issue expects; the condition sees the row's fields by name.
expect() {
	if awk -F, -v fields="$fields" "BEGIN { n = split(fields, f, \",\") }
		NR > 1 { for (i = 1; i <= n; i++) v[f[i]] = \$i; seen++; if (!($2)) bad++ }
		END { exit !(seen > 0 && bad == 0) }" "$csv"; then
		echo "ok - study_quick: $1"
	else
		echo "not ok - study_quick: $1"
		failed=1
	fi
}
expect every_run_keeps_the_system_live 'v["live"] == "yes"'
expect fallback_loses_nothing_written 'v["policy"] != "fallback" || v["lost_bytes"] == 0'
# A fault that never struck would measure nothing: the pager, if it can
# still be asked ("-": it died or hung), counts its misbehaviour.
expect every_injected_fault_strikes \
	'(v["fault"] == "none") == (v["misbehaved"] == 0)'
expect a_good_pager_serves_every_page \
	'v["fault"] != "none" || (v["outcome"] == "ok" && v["served"] == 16)'
expect wait_hangs_on_a_hung_pager \
	'v["fault"] != "hang" || v["policy"] != "wait" || v["outcome"] == "hung"'
# A deadline counts from the tick before the wait (the coarse clock): it
# may end up to one tick (10 ms) early.
expect fail_errs_at_the_deadline \
	'v["fault"] != "hang" || v["policy"] != "fail" ||
	 (v["outcome"] == "errors" && v["detect_us"] >= 490000 && v["detect_us"] < 1000000)'
expect death_is_detected_before_the_deadline \
	'v["fault"] != "exit" || v["policy"] == "zero" ||
	 (v["outcome"] == "errors" && v["detect_us"] < 500000)'
exit $failed
