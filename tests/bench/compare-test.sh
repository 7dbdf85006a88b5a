#!/usr/bin/env bash
# The guard's comparison (tests/bench/compare.py) on made-up figures, so
# that a guard that could never fail is caught: a figure 11% worse than
# its baseline fails and is named, 9% worse passes, a missing figure
# fails; --rewrite keeps the baseline's comments and takes the medians.
cd "$(dirname "$0")/../.." || exit 1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failed=0

printf '# how to regenerate\nnull_trap_instructions 1000\nunix_getpid_instructions 2000\n' \
	>"$dir/baseline"

# check NAME WANT_STATUS PATTERN FIGURES: compare.py on FIGURES exits
# WANT_STATUS and its output matches PATTERN.
check() {
	local out status
	printf '%b' "$4" >"$dir/figures"
	out=$(python3 tests/bench/compare.py "$dir/baseline" "$dir/figures" 2>&1)
	status=$?
	if [ "$status" = "$2" ] && printf '%s\n' "$out" | grep -qE -- "$3"; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		printf '%s\n' "# status $status, output:" "$out" | sed 's/^/# /'
		failed=1
	fi
}

check guard_passes_equal_figures 0 '^ok - bench_null_trap' \
	'null_trap_instructions 1000\nunix_getpid_instructions 2000\n'
check guard_passes_a_figure_9_percent_worse 0 '^ok - bench_unix_getpid.*[+]9.0%' \
	'null_trap_instructions 1000\nunix_getpid_instructions 2180\n'
check guard_passes_a_better_figure 0 '^ok - bench_null_trap.*-50.0%' \
	'null_trap_instructions 500\nunix_getpid_instructions 2000\n'
check guard_fails_a_figure_11_percent_worse 1 \
	'^not ok - bench_unix_getpid_instructions_within_10_percent' \
	'null_trap_instructions 1000\nunix_getpid_instructions 2220\n'
check guard_names_what_got_worse 1 'unix_getpid_instructions is more than 10% worse' \
	'null_trap_instructions 1000\nunix_getpid_instructions 2220\n'
check guard_fails_a_missing_figure 1 \
	'^not ok - bench_null_trap_instructions_within_10_percent' \
	'unix_getpid_instructions 2000\n'
check guard_ignores_figures_it_does_not_guard 0 '^ok - bench_unix_getpid' \
	'null_trap_instructions 1000\nunix_getpid_instructions 2000\nboot_to_prompt_wall_ms 9999\n'

cat >"$dir/results.json" <<'JSON'
{"runs": 3, "figures": {"null_trap_instructions": {"median": 72},
 "unix_getpid_instructions": {"median": 2219}, "other_instructions": {"median": 5}}}
JSON
python3 tests/bench/compare.py --rewrite "$dir/baseline" "$dir/results.json"
want=$(printf '# how to regenerate\nnull_trap_instructions 72\nunix_getpid_instructions 2219')
if [ "$(cat "$dir/baseline")" = "$want" ]; then
	echo "ok - rewrite_takes_the_medians_and_keeps_the_comments"
else
	echo "not ok - rewrite_takes_the_medians_and_keeps_the_comments"
	sed 's/^/# /' "$dir/baseline"
	failed=1
fi
exit $failed
