#!/usr/bin/env bash
# The real ISO boots through GRUB 2 (BIOS, multiboot2) to the kernel banner
# and bootstrap, which has no other module to start on the ISO and waits.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

tests/qemu/boot.sh --name grub_iso_boots_to_bootstrap --iso "$ISO" --timeout 120 \
	--expect-status stopped --stop-at "^bootstrap: 0 of 0 modules started$" \
	--expect "^Pagoda [0-9.]+ \(x86_64\)" \
	--expect "^boot: loaded by GRUB [0-9.]+.* \(multiboot2\)" \
	--expect "^boot: module 0 'bootstrap', [0-9]+ KiB, valid ELF64 executable$" \
	--reject "warning" || failed=1
exit $failed
