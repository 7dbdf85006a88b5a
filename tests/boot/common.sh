# Shared by the boot tests: the built images and a shorthand for one boot.
KERNEL=${KERNEL:-build/kernel/pagoda32.elf}
BOOTSTRAP=${BOOTSTRAP:-build/servers/bootstrap/bootstrap}
BLK=${BLK:-build/servers/blk/blk}
CONSOLE=${CONSOLE:-build/servers/console/console}
EXT2FS=${EXT2FS:-build/servers/ext2fs/ext2fs}
EMUL=${EMUL:-build/emul/emul}
PROC=${PROC:-build/servers/proc/proc}
ISO=${ISO:-build/os.iso}
USERTEST=${USERTEST:-build/tests/guest/usertest}
IPCTEST=${IPCTEST:-build/tests/guest/ipctest}
VMTEST=${VMTEST:-build/tests/guest/vmtest}
BENCH=${BENCH:-build/tests/guest/bench}
IPCBENCH=${IPCBENCH:-build/tests/guest/ipcbench}
VMBENCH=${VMBENCH:-build/tests/guest/vmbench}
PAGERTEST=${PAGERTEST:-build/tests/guest/pagertest}
MEMPAGER=${MEMPAGER:-build/servers/mempager/mempager}
FAULTPAGER=${FAULTPAGER:-build/servers/faultpager/faultpager}
PAGERSTAT=${PAGERSTAT:-build/bin/pagerstat/pagerstat}
DEVICETEST=${DEVICETEST:-build/tests/guest/devicetest}
PAGEOUTTEST=${PAGEOUTTEST:-build/tests/guest/pageouttest}
failed=0
# The block driver as the bench scripts start it: under -icount the clock
# leaps ahead while the processor halts for the host's disk, so a
# request's 5 s deadline can pass while the host is merely slow (it did,
# once, in blk-bench's read): an hour's instead.  A real hang still ends
# at boot.sh's timeout.
BLK_BENCH="$BLK devices timeout_ms=3600000"
# Where the bench scripts (tests/boot/*-bench.sh, icount.sh) put their
# figures, "name value" a line: icount.sh starts it, the others append.
BENCH_FIGURES=${BENCH_FIGURES:-build/bench/figures}
mkdir -p "$(dirname "$BENCH_FIGURES")"

# boot NAME [boot.sh options...]: one -kernel boot with the bootstrap module.
boot() {
	local name=$1
	shift
	tests/qemu/boot.sh --name "$name" --kernel "$KERNEL" "$@" || failed=1
}

# test_disk NAME IMAGE: a fresh copy of IMAGE for one boot, its path
# build/test-disks/NAME.img.
test_disk() {
	mkdir -p build/test-disks
	cp --sparse=always "$2" "build/test-disks/$1.img"
	echo "build/test-disks/$1.img"
}

# disk_clean NAME DISK: the host's e2fsck finds DISK clean, as TAP line
# NAME (its report as diagnostics if not).
disk_clean() {
	local log=${2%.img}-e2fsck.log
	if e2fsck -fn "$2" >"$log" 2>&1; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		sed 's/^/# /' "$log"
		failed=1
	fi
}
