#!/usr/bin/env bash
# The benchmark guard (make test; docs/performance.md, "The guard"): the
# instruction figures that repeat from run to run are measured once, by
# the bench scripts' -icount boots, and each must be at most 10% larger
# (worse) than the figure committed in tests/bench/baseline.  Instruction
# counts under -icount do not follow the host, so this is no timed test;
# no wall figure is guarded.  `make bench-baseline` rewrites the
# baseline from make bench's medians.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

export BENCH_FIGURES=build/bench-guard/figures
mkdir -p build/bench-guard
: >"$BENCH_FIGURES"

# measure SCRIPT [ARGS...]: one bench script's figures, appended; its
# output kept in build/test-logs/bench-guard-SCRIPT.out.
measure() {
	local log=build/test-logs/bench-guard-$1.out
	if ! "tests/boot/$1.sh" "${@:2}" >"$log" 2>&1; then
		echo "# $1 failed (see $log): its figures will be missing"
		grep -v '^ok ' "$log" | tail -n 5 | sed 's/^/#   /'
	fi
}

# icount.sh starts the file, so it comes first.  It is make test's one
# run of it: its own tests (every figure reported, two runs alike) are
# this suite's too, and with BENCH_FIGURES set here it leaves make
# bench's build/bench/figures alone.
tests/boot/icount.sh || failed=1
measure blk-bench --icount-only
measure fs-bench --icount-only
measure unix-bench
measure net-bench --icount-only
measure boot-bench --icount-only
python3 tests/bench/compare.py tests/bench/baseline "$BENCH_FIGURES" || failed=1
exit $failed
