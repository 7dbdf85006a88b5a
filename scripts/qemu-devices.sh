#!/bin/sh
# The devices Pagoda's drivers serve, as QEMU arguments on one line: two
# virtio-blk disks (disk0, the file system's; disk1, the swap disk) and a
# virtio-net card on QEMU's user-mode network.  make run and the ISO's
# test (tests/boot/grub.sh) both boot with them.  A missing image is made
# (sparse, SIZE MiB, default 64); an existing one is kept, with its data.
#
#   scripts/qemu-devices.sh FS_IMAGE SWAP_IMAGE [SIZE]
set -eu

size=${3:-64}
n=0
for image in "$1" "$2"; do
	[ -e "$image" ] || { mkdir -p "$(dirname "$image")" && truncate -s "${size}M" "$image"; }
	printf -- '-drive file=%s,if=none,id=disk%d,format=raw -device virtio-blk-pci,drive=disk%d ' \
		"$image" "$n" "$n"
	n=$((n + 1))
done
printf -- '-netdev user,id=net0 -device virtio-net-pci,netdev=net0\n'
