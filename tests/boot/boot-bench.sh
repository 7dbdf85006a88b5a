#!/usr/bin/env bash
# The boot's figures for `make bench` (not a test):
#
# - boot_to_prompt_instructions: the system booted as tests/boot/shell.sh
#   boots it (-kernel, the same modules, a copy of the system's disk),
#   under -icount, with PAGODA_BOOT_FIGURE=1 on emul's command line; emul
#   gives it to init's environment and init to the shell, which prints
#   the instructions since reset, halted time taken off, just before its
#   first prompt (bin/sh/figure.c).
# - boot_to_prompt_wall_ms: the ISO booted as `make run` boots it (GRUB,
#   the disks of scripts/qemu-devices.sh, no -icount), timed by the host
#   from QEMU's start to the shell's first prompt on the serial line
#   (tests/boot/boot-wall.py).
#
#   tests/boot/boot-bench.sh [--icount-only]
#
# Appends the figures to $BENCH_FIGURES (build/bench/figures).
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

disks=build/test-disks
mkdir -p "$disks"

cp --sparse=always build/root.img "$disks/boot-bench.img"
log=build/test-logs/boot_bench_icount.log
tests/qemu/boot.sh --name boot_bench_icount --kernel "$KERNEL" --log "$log" \
	--module "$BOOTSTRAP" --module "$CONSOLE devices" --module "$BLK_BENCH" \
	--module "$EXT2FS" --module "$PROC" --module "$EMUL init=/bin/init PAGODA_BOOT_FIGURE=1" \
	--icount --timeout 120 --expect-status stopped --stop-signal KILL \
	--stop-at "^BENCH boot_to_prompt_instructions [0-9]+$" \
	--qemu -drive --qemu "file=$disks/boot-bench.img,if=none,id=d0,format=raw,cache=unsafe" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 >/dev/null ||
	{ echo "boot-bench: the -icount boot failed (see $log)"; exit 1; }
sed -nE 's/^BENCH (boot_to_prompt_instructions) ([0-9]+)$/\1 \2/p' "$log" >>"$BENCH_FIGURES"
rm -f "$disks/boot-bench.img"
[ "${1:-}" = --icount-only ] && exit 0

# A fresh pair of disks, as a first `make run` has them.
rm -f "$disks/boot-wall-fs.img" "$disks/boot-wall-swap.img"
cp --sparse=always build/root.img "$disks/boot-wall-fs.img"
devices=$(scripts/qemu-devices.sh "$disks/boot-wall-fs.img" "$disks/boot-wall-swap.img")
# shellcheck disable=SC2086 # the devices are words, as make run gives them
wall_log=build/test-logs/boot_bench_wall.log
ms=$(python3 tests/boot/boot-wall.py --log "$wall_log" -- \
	qemu-system-x86_64 -accel tcg -m 256 -display none -monitor none -serial stdio \
	-no-reboot -cdrom "$ISO" -boot d $devices) ||
	{ echo "boot-bench: the wall-clock boot failed (see $wall_log)"; exit 1; }
echo "boot_to_prompt_wall_ms $ms" >>"$BENCH_FIGURES"
rm -f "$disks/boot-wall-fs.img" "$disks/boot-wall-swap.img"
