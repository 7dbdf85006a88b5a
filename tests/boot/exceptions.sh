#!/usr/bin/env bash
# A kernel exception is reported with its name, the faulting address, the
# symbolized instruction pointer, the registers and a backtrace, and the
# machine stops with the panic status (crash=KIND on the command line).
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

crash() {
	local kind=$1
	shift
	boot "kernel_reports_$kind" --module "$BOOTSTRAP" --append "crash=$kind" \
		--expect-status panic --expect "^trap: rax [0-9a-f]{16} rbx" \
		--expect "^backtrace:$" "$@"
}
# Where the fault's backtrace must lead back to.
from_kmain="^  #[0-9]+ [0-9a-f]{16} <kmain\+0x[0-9a-f]+>$"

crash ud --expect "$from_kmain" --expect "^trap: exception #UD \(invalid opcode\), vector 6" \
	--expect "^trap: rip ffffffff8[0-9a-f]{7} <crash_now\+0x[0-9a-f]+>$"
crash pf --expect "$from_kmain" --expect "^trap: exception #PF \(page fault\), vector 14, error 0x2 \(write, not present, kernel\)$" \
	--expect "^trap: fault address 000000000dead000$" \
	--expect "^trap: rip ffffffff8[0-9a-f]{7} <crash_page_fault\+0x[0-9a-f]+>$" \
	--expect "^  #[0-9]+ [0-9a-f]{16} <crash_page_fault\+0x[0-9a-f]+>$"
crash gp --expect "$from_kmain" --expect "^trap: exception #GP \(general protection\), vector 13" \
	--expect "<crash_general_protection\+0x[0-9a-f]+>$"
crash de --expect "$from_kmain" --expect "^trap: exception #DE \(divide error\), vector 0" \
	--expect "<crash_divide\+0x[0-9a-f]+>$"
crash stack --expect "^trap: exception #DF \(double fault\), vector 8" \
	--expect "kernel stack overflow" \
	--expect "^  #[0-9]+ [0-9a-f]{16} <crash_recurse[.a-z0-9]*\+0x[0-9a-f]+>$"
boot kernel_panic_prints_reason_and_backtrace --module "$BOOTSTRAP" --append "crash=panic" \
	--expect-status panic --expect "^panic: crash: panic requested$" \
	--expect "^  #[0-9]+ [0-9a-f]{16} <kmain\+0x[0-9a-f]+>$"
exit $failed
