#!/usr/bin/env bash
# The core utilities (bin/utils/, docs/shell.md): init runs
# tests/utils/rc as /etc/rc of a copy of the system's disk, which checks
# each utility's main options and an error case, prints TAP on the
# console and halts.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

disk=$(test_disk utils build/tests/utils/utils.img)

boot utils --module "$BOOTSTRAP" --module "$CONSOLE devices" --module "$BLK devices" \
	--module "$EXT2FS" --module "$PROC" --module "$EMUL init=/bin/init" --guest-tap \
	--timeout 300 \
	--qemu -drive --qemu "file=$disk,if=none,id=d0,format=raw" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 \
	--expect "^# utils: [0-9]+ passed, 0 failed$" --reject "panic"
rm -f "$disk"
exit "${failed:-0}"
