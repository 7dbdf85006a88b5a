#!/usr/bin/env bash
# User tasks and threads: bootstrap starts the other boot modules, and the
# guest test program usertest (tests/guest/) checks scheduling, time,
# thread and FPU state, suspension, user faults and exception messages,
# access by capability, argument checking and leaks from user space,
# through the kernel's ports, printing its own TAP results.
#
# The usertest boot runs under -icount shift=0,sleep=off: virtual time is
# the guest's instruction count, so its timing checks (a sleep ends within
# a tick, a preempting thread wakes within two, CPU shares over 500 ms)
# are exact and repeatable however loaded the host is, and time the guest
# spends idle costs no wall time.  It executes a few 1e9 instructions:
# QEMU runs about 5e8 a second under -icount on one free core, so the
# boot takes 5-10 s; the timeout leaves room for a slow, shared CI machine.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

# The kernel's line for a user fault that no handler took; the format is
# the kernel's, so only its start, the exception's short name and its end
# are fixed here.
fault="^kernel: task 'usertest' \([0-9]+\) thread [0-9]+: exception"
end="no handler: terminated$"
log=build/test-logs/user_tasks_and_threads.log
boot user_tasks_and_threads --module "$BOOTSTRAP" --module "$USERTEST" --guest-tap \
	--icount --timeout 180 --log "$log" \
	--expect "^bootstrap: started usertest \(task port [0-9]+\)$" \
	--expect "^bootstrap: 1 of 1 modules started$" \
	--expect "$fault #PF.* 0000000000000010 .*$end" \
	--expect "$fault #PF.* ffff800000000000 .*$end" \
	--expect "$fault #GP.*$end" --expect "$fault #DE.*$end" --expect "$fault #UD.*$end" \
	--expect "^# usertest: [0-9]+ passed, 0 failed$" \
	--reject "^usertest: unknown role"

# usertest's faults.c provokes eight faults with no handler, and
# exceptions.c and lifecycle.c more whose handlers refuse them, all in
# tasks of its own name; each ends its task, and says so.
n=$(grep -cE "$fault" "$log" 2>/dev/null)
terminated=$(grep -E "$fault" "$log" 2>/dev/null | grep -cE "$end")
if [ "${n:-0}" -ge 8 ] && [ "$n" = "$terminated" ]; then
	echo "ok - kernel_logs_one_line_per_unhandled_user_fault # $n lines"
else
	echo "not ok - kernel_logs_one_line_per_unhandled_user_fault"
	echo "# expected at least 8 lines matching: $fault, each ending '$end';"
	echo "# found ${n:-0}, ${terminated:-0} of them ending so, in $log"
	failed=1
fi

# bootstrap alone: nothing to start, and it goes to sleep without faulting.
boot bootstrap_alone_starts_nothing_and_waits --module "$BOOTSTRAP" --timeout 60 \
	--expect-status stopped --stop-at "^bootstrap: 0 of 0 modules started$" \
	--reject "^kernel: task .*exception"
exit $failed
