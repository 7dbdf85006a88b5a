#!/usr/bin/env bash
# The real ISO boots through GRUB 2 (BIOS, multiboot2) to the kernel
# banner and bootstrap, which starts the default pager, the drivers, the
# file server, the process server, the pager tools' two pagers, the
# UNIX server, whose init starts the shell, and the network server; booted with the devices make run attaches
# (scripts/qemu-devices.sh: two virtio-blk disks, the first a copy of the
# system's disk, and a virtio-net card), each driver finds its own, and
# the file server mounts the system's disk.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

disks=build/test-disks
rm -f "$disks/iso-fs.img" "$disks/iso-swap.img"
mkdir -p "$disks"
cp --sparse=always build/root.img "$disks/iso-fs.img"   # the system's disk, as make run's
devices=()
for arg in $(scripts/qemu-devices.sh "$disks/iso-fs.img" "$disks/iso-swap.img" 8); do
	devices+=(--qemu "$arg")
done

tests/qemu/boot.sh --name grub_iso_boots_and_starts_the_drivers --iso "$ISO" --timeout 120 \
	--memory 256 "${devices[@]}" \
	--expect-status stopped --stop-at "^net: 1 card$" --stop-at "^# " \
	--stop-at "inet: eth0: 10" \
	--expect "^Pagoda [0-9.]+ \(x86_64\)" \
	--expect "^boot: loaded by GRUB [0-9.]+.* \(multiboot2\)" \
	--expect "^boot: module 0 'bootstrap', [0-9]+ KiB, valid ELF64 executable$" \
	--expect "^bootstrap: 10 of 10 modules started$" \
	--expect "^bootstrap: started mempager " --expect "^bootstrap: started faultpager " \
	--expect "^default_pager: serving, swap on disk1$" \
	--expect "^console: serving COM1$" \
	--expect "^blk: disk0: 131072 sectors of 512 bytes" \
	--expect "^blk: disk1: 16384 sectors of 512 bytes" \
	--expect "^blk: 2 disks$" \
	--expect "^net: net0: address 52:54:00:12:34:56, link up" \
	--expect "^ext2fs: disk0: 16384 blocks of 4096 bytes, [0-9]+ inodes$" \
	--expect "^proc: serving$" --expect "^mempager: serving$" \
	--expect "^faultpager: faultpager serving, mode none" \
	--expect "^emul: started /bin/init as pid 1$" \
	--expect "inet: eth0: 10\.0\.2\.15/24, gateway 10\.0\.2\.2 \(DHCP\)$" \
	--reject "warning" --reject "panic" || failed=1
exit $failed
