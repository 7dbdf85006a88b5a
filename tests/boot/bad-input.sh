#!/usr/bin/env bash
# Bad boot input: each case ends in one clear "boot:" line and a clean stop
# (or, for command-line mistakes, a warning and a normal boot).
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

dir=build/test-data
mkdir -p "$dir"
printf 'this is not a program\n%.0s' $(seq 64) >"$dir/corrupt.bin"
head -c 200 "$BOOTSTRAP" >"$dir/truncated.elf"
: >"$dir/empty.bin"

boot boot_without_modules_stops_cleanly --expect-status boot-error \
	--expect "^boot: cannot continue: no boot modules; the first module must be the bootstrap server$"
boot boot_with_corrupt_module_stops_cleanly --module "$dir/corrupt.bin" --expect-status boot-error \
	--expect "^boot: cannot continue: module 'corrupt.bin' is not a valid executable: not an ELF file \(bad magic\)$"
boot boot_with_truncated_module_stops_cleanly --module "$dir/truncated.elf" --expect-status boot-error \
	--expect "^boot: cannot continue: module 'truncated.elf' is not a valid executable: the program headers lie outside the image$"
boot boot_with_empty_module_stops_cleanly --module "$BOOTSTRAP" --module "$dir/empty.bin" \
	--expect-status boot-error --expect "^boot: cannot continue: module 'empty.bin' is empty$"
boot boot_with_16_mib_stops_cleanly --memory 16 --module "$BOOTSTRAP" --expect-status boot-error \
	--expect "^boot: cannot continue: only 1[0-9] MiB of RAM; Pagoda needs at least 24 MiB$"
boot boot_with_unknown_option_warns_and_goes_on --module "$BOOTSTRAP" \
	--append "frobnicate test=clock hz=abc" \
	--expect "^cmdline: warning: unknown option 'frobnicate' ignored \(known: test crash hz bench pager_deadline memory_wait\)$" \
	--expect "^cmdline: warning: option 'hz' wants a number from 10 to 1000, not 'abc'; ignored$" \
	--expect "^clock: 100 Hz" --expect "^ktest: 2 passed, 0 failed$"
exit $failed
