#!/usr/bin/env bash
# The UNIX personality (emul/, libc/unix/, docs/unix.md): the UNIX
# server starts unixtest (tests/unix/) from /bin of a copy of the
# system's disk as its first process, with the console driver, the disk
# driver and the file server under it; unixtest prints its own TAP on
# the terminal.  Then the host's e2fsck finds the disk clean.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

disk=$(test_disk unix build/tests/unix/unix.img)

boot unix --module "$BOOTSTRAP" --module "$CONSOLE devices" --module "$BLK devices" \
	--module "$EXT2FS" --module "$PROC" --module "$EMUL init=/bin/unixtest init-exit=halt" --guest-tap --timeout 300 \
	--qemu -drive --qemu "file=$disk,if=none,id=d0,format=raw" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 \
	--expect "^emul: started /bin/unixtest as pid 1$" \
	--type-after "^# unixtest: type \^C$" '\003' \
	--type-after "^# unixtest: type for the background child$" 'fg line\r' \
	--type-after "^# unixtest: type a line$" 'typed ahead\r' \
	--type-after "^# unixtest: type a key$" 'k' \
	--expect "^# unixtest: [0-9]+ passed, 0 failed$" --reject "panic"

disk_clean "unix_host: e2fsck_finds_the_disk_clean" "$disk"
exit "${failed:-0}"
