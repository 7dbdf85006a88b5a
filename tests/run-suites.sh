#!/bin/sh
# Runs test suites and adds up their results.
#
# Each argument is one suite: a command (run with sh -c) that prints
# TAP-style lines, "ok N - name" or "not ok N - name", and exits 0 when
# all of its tests passed.  A suite that exits non-zero without reporting
# a failure of its own is counted as one failed test, so a crash or a
# missing binary can never pass silently.  The last line printed is exactly
# "N passed, N failed"; the exit status is non-zero if anything failed.
set -u

passed=0
failed=0
log_dir=${TEST_LOG_DIR:-build/test-logs}
mkdir -p "$log_dir"

for suite in "$@"; do
	name=$(printf '%s' "$suite" | sed 's/[^A-Za-z0-9._-]/_/g' | cut -c1-80)
	out="$log_dir/$name.tap"
	echo "# suite: $suite"
	sh -c "$suite" >"$out" 2>&1
	rc=$?
	# Echo the suite's own lines so a reader sees every result.
	grep -E '^(not )?ok |^#|^Bail out' "$out" | sed 's/^/  /'
	p=$(grep -cE '^ok ' "$out")
	f=$(grep -cE '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "  not ok - suite '$suite' exited with status $rc; last lines:"
		tail -n 15 "$out" | sed 's/^/  #   /'
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "  not ok - suite '$suite' reported no test"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
