#!/usr/bin/env bash
# The ext2 file server (servers/ext2fs, docs/fs.md): fstest
# (tests/guest/fs/) through fs.defs, on a copy of the 1 KiB test image
# (servers/ext2fs/tests/mkimages.sh) as disk0.  Then the host's own tools
# check what the guest left: e2fsck -fn finds the file system clean, and
# debugfs reads back the file it wrote and fsynced and the one it wrote
# through a mapping.  Then fstest runs twice on the system's disk: its
# layout, and files fsynced before QEMU is killed; and twice on damaged
# disks, which the server refuses or serves around.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

FSTEST=${FSTEST:-build/tests/guest/fstest}
images=build/servers/ext2fs/tests/images
disks=build/test-disks
disk=$disks/fs0.img
mkdir -p "$disks"
cp "$images/1k.img" "$disk"

boot file_server --module "$BOOTSTRAP" --module "$BLK devices" --module "$EXT2FS" \
	--module "$FSTEST" --guest-tap --timeout 300 \
	--qemu -drive --qemu "file=$disk,if=none,id=d0,format=raw" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 \
	--expect "^# fstest: [0-9]+ passed, 0 failed$" --expect "^ext2fs: disk0: " \
	--reject "panic"

# host NAME COMMAND...: a check by the host's tools, as a TAP line.
host() {
	local name=$1
	shift
	if "$@" >"$disks/host.log" 2>&1; then
		echo "ok - file_server_host: $name"
	else
		echo "not ok - file_server_host: $name"
		sed 's/^/# /' "$disks/host.log"
		failed=1
	fi
}
# holds DISK PATH LETTER COUNT: PATH on DISK is COUNT lines LETTER%07u.
holds() {
	cmp <(debugfs -R "cat $2" "$1" 2>/dev/null) <(seq -f "$3%07g" 0 $(($4 - 1)))
}
host e2fsck_finds_the_disk_clean e2fsck -fn "$disk"
persisted() { cmp <(debugfs -R 'cat /persist' "$disk" 2>/dev/null) <(seq 1 20000); }
host debugfs_reads_back_what_was_fsynced persisted
host debugfs_reads_back_what_was_written_through_a_mapping holds "$disk" /mapped m 1000

# The system's disk (build/root.img): its layout as the server serves it,
# and still clean after.
system=$disks/fs-root.img
cp --sparse=always build/root.img "$system"
fs_boot() {
	local name=$1 disk=$2
	shift 2
	boot "$name" --module "$BOOTSTRAP" --module "$BLK devices" --module "$EXT2FS" \
		--qemu -drive --qemu "file=$disk,if=none,id=d0,format=raw" \
		--qemu -device --qemu virtio-blk-pci,drive=d0 --reject "panic" "$@"
}
fs_boot file_server_system_disk "$system" --module "$FSTEST role=layout" --guest-tap \
	--expect "^ext2fs: disk0: 16384 blocks of 4096 bytes" \
	--expect "^# fstest: [0-9]+ passed, 0 failed$"
host the_system_disk_stays_clean e2fsck -fn "$system"

# QEMU killed (SIGKILL) with dirty blocks in the server's cache: what was
# fsynced before, written with write and through a mapping, reads back.
cp --sparse=always build/root.img "$system"
fs_boot file_server_killed "$system" --module "$FSTEST role=crash" \
	--expect-status stopped --stop-at "^# fstest: crash point$" --stop-signal KILL
host fsynced_writes_survive_the_kill holds "$system" /home/user/kept k 40000
host fsynced_mapped_writes_survive_the_kill holds "$system" /home/user/mapped-kept m 1000

# Damaged disks under the running server (the host fuzzer, fuzz_test,
# tries a thousand more on the server's core).  No ext2 at all: the
# server refuses it and the system runs on.
damaged=$disks/fs-damaged.img
cp "$images/1k.img" "$damaged"
dd if=/dev/zero of="$damaged" bs=1024 seek=1 count=1 conv=notrunc status=none
fs_boot file_server_refuses_a_disk_without_ext2 "$damaged" --module "$FSTEST role=refused" \
	--guest-tap --expect "^ext2fs: cannot start: FS_CORRUPT$" \
	--expect "^# fstest: [0-9]+ passed, 0 failed$"

# Lies in the metadata: a block pointer outside the disk, a directory of
# an odd size, a directory that is its own parent.
cp "$images/1k.img" "$damaged"
debugfs -w -f - "$damaged" >"$disks/debugfs.log" 2>&1 <<'LIES'
sif /big block[0] 99999999
sif /many size 1023
unlink /dir/sub/..
link /dir/sub /dir/sub/..
LIES
fs_boot file_server_serves_on_a_corrupt_disk "$damaged" --module "$FSTEST role=corrupt" \
	--guest-tap --expect "^# fstest: [0-9]+ passed, 0 failed$"
exit $failed
