#!/usr/bin/env bash
# The real ISO boots through GRUB 2 (BIOS, multiboot2) to the kernel
# banner and bootstrap, which starts the default pager and the drivers on
# it; booted with the
# devices make run attaches (scripts/qemu-devices.sh: two virtio-blk
# disks and a virtio-net card), each driver finds its own.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

disks=build/test-disks
rm -f "$disks/iso-fs.img" "$disks/iso-swap.img"
devices=()
for arg in $(scripts/qemu-devices.sh "$disks/iso-fs.img" "$disks/iso-swap.img" 8); do
	devices+=(--qemu "$arg")
done

tests/qemu/boot.sh --name grub_iso_boots_and_starts_the_drivers --iso "$ISO" --timeout 120 \
	--memory 256 "${devices[@]}" \
	--expect-status stopped --stop-at "^net: 1 card$" --stop-at "^blk: 2 disks$" \
	--expect "^Pagoda [0-9.]+ \(x86_64\)" \
	--expect "^boot: loaded by GRUB [0-9.]+.* \(multiboot2\)" \
	--expect "^boot: module 0 'bootstrap', [0-9]+ KiB, valid ELF64 executable$" \
	--expect "^bootstrap: 4 of 4 modules started$" \
	--expect "^default_pager: serving, swap on disk1$" \
	--expect "^console: serving COM1$" \
	--expect "^blk: disk0: 16384 sectors of 512 bytes" \
	--expect "^blk: disk1: 16384 sectors of 512 bytes" \
	--expect "^blk: 2 disks$" \
	--expect "^net: net0: address 52:54:00:12:34:56, link up" \
	--reject "warning" --reject "panic" || failed=1
exit $failed
