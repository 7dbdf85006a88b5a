#!/usr/bin/env bash
# The liability-inversion study (docs/liability-inversion.md): one
# -icount boot per injected fault, each running pagertest role=study
# (tests/guest/pager/study.c) over every policy and deadline, and the
# rows it prints gathered into build/study/results.csv; one boot more
# for the replacements under writes (role=study replace=N); then the
# report (report.sh): the plots and docs/liability-inversion.md.
#
#   tests/study/run.sh [quick]
#
# quick: a few faults, one deadline and a few replacements, everything
# in build/study/quick/ (the report too), for make test; the boots must
# show what the issue expects of them (see the checks at the end).
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

out=build/study
doc=docs/liability-inversion.md
policies=fail,wait,retry,zero,fallback
deadlines=100,500,2000
faults="none delay:300 delay:3000 hang exit exit_writeback drop:250 error wrong_data
	wrong_offset no_ack self_deadlock cycle"
replacements=100
if [ "${1:-}" = quick ]; then
	out=build/study/quick
	doc=$out/liability-inversion.md
	policies=fail,wait,fallback
	deadlines=500
	faults="none hang exit"
	replacements=5
fi
csv=$out/results.csv
mkdir -p "$out/logs"

fields=fault,arg,policy,deadline_ms,limit_ms,live,outcome,misbehaved,served,failed,wrong,hung
fields=$fields,detect_us,detect_instr,recover_us,recover_instr,lost_bytes,unavailable_bytes
echo "$fields" >"$csv"

# One boot: the fault NAME[:ARG] over every policy and deadline.
study_boot() {
	local fault=${1%%:*} arg=0 log
	[ "$fault" != "$1" ] && arg=${1#*:}
	log=$out/logs/$fault-$arg.log
	local args="fault=$fault arg=$arg policies=$policies deadlines=$deadlines"
	boot "study_${fault}_$arg" --module "$BOOTSTRAP" --module "$FAULTPAGER" \
		--module "$PAGERTEST role=study $args" \
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
replace_log=$out/logs/replace.log
boot study_replace --module "$BOOTSTRAP" --module "$MEMPAGER" \
	--module "$PAGERTEST role=study replace=$replacements" \
	--icount --timeout 600 --log "$replace_log" \
	--expect "^study: done, 2 runs$" --reject "panic"
tests/study/report.sh "$csv" "$doc" "$replace_log" || failed=1
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

not() { ! "$@"; }
# check NAME COMMAND...: one more check of the quick run's, by command.
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then
		echo "ok - study_quick: $name"
	else
		echo "not ok - study_quick: $name"
		failed=1
	fi
}
replaced="runs=$replacements replaced=$replacements lost_bytes=0 store=ok "
check replacements_in_both_modes_lose_nothing test "$(grep -cE \
	"^study: replace mode=(same_store|migrate) $replaced" "$replace_log")" = 2
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
check the_report_draws_the_matrix is_png "$out/study/matrix.png"
check the_report_draws_recovery_against_the_deadline is_png "$out/study/recovery.png"
# Every run a row of the page's table, and every finding as expected.
check the_report_tables_every_run test "$(grep -c '^| [a-z_:0-9]* | [a-z]* | [0-9,]* | ' "$doc")" \
	= "$(($(wc -l <"$csv") - 1))"
check the_report_finds_what_the_issue_expects grep -q "as expected" "$doc"
nothing_unexpected() { [ -s "$doc" ] && ! grep -q "not as expected" "$doc"; }
check the_report_finds_nothing_unexpected nothing_unexpected
check the_report_refuses_a_csv_not_the_studys not tests/study/report.sh "$replace_log" \
	"$out/refused.md"
exit $failed
