#!/usr/bin/env bash
# Page-out under memory pressure: the guest program pageouttest
# (tests/guest/pageout/) runs on 48 MiB machines and touches more memory
# than they have, so that the page-out daemon must give pages back to
# their pagers and take them in again; every word written must survive.
# One boot per phase (pageouttest's header says what each checks):
# external (a mempager object) and borrow (a pager that needs memory),
# with no default pager; then with the default pager and blk, both
# wired, on a fresh swap disk: anonymous, pair, full (a 16 MiB disk),
# readerror (a disk whose reads fail), orphan, fallback, spill, limits.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

DEFAULT_PAGER=${DEFAULT_PAGER:-build/servers/default_pager/default_pager}
disks=build/test-disks
mkdir -p "$disks"

# swapped NAME PHASE SWAP_MIB [boot.sh options...]: the default pager
# and the disk driver (both wired) with a fresh swap disk of SWAP_MIB
# (seen through QEMU's blkdebug driver with the rules in $blkdebug, if
# set).
blkdebug=
swapped() {
	local name=$1 phase=$2 size=$3 file
	shift 3
	rm -f "$disks/swap-$name.img"
	truncate -s "${size}M" "$disks/swap-$name.img"
	file=$disks/swap-$name.img
	[ -n "$blkdebug" ] && file=blkdebug:$blkdebug:$file
	boot "pageout_$name" --module "$BOOTSTRAP" --module "$DEFAULT_PAGER wired swap=disk0" \
		--module "$BLK devices wired" --module "$PAGEOUTTEST phase=$phase" \
		--qemu -drive --qemu "file=$file,if=none,id=swap,format=raw" \
		--qemu -device --qemu virtio-blk-pci,drive=swap \
		--memory 48 --guest-tap --timeout 600 --log "build/test-logs/pageout_$name.log" \
		--expect "^default_pager: serving" \
		--expect "^# pageouttest: [0-9]+ passed, 0 failed$" \
		--reject "^default_pager: (cannot|the receive loop)" --reject "panic" "$@"
	rm -f "$disks/swap-$name.img"
}

boot pageout_external --module "$BOOTSTRAP" --module "$MEMPAGER" --module "$PAGEOUTTEST" \
	--memory 48 --guest-tap --timeout 300 \
	--log build/test-logs/pageout_external.log \
	--expect "^mempager: serving$" \
	--expect "^# pageouttest: [0-9]+ passed, 0 failed$" \
	--reject "^mempager: (cannot|the receive loop)" --reject "^libpager: " \
	--reject "panic"
boot pageout_borrow --module "$BOOTSTRAP" --module "$PAGEOUTTEST phase=borrow" \
	--memory 48 --guest-tap --timeout 300 \
	--log build/test-logs/pageout_borrow.log \
	--expect "^# pageouttest: [0-9]+ passed, 0 failed$" \
	--reject "^libpager: " --reject "panic"
swapped anonymous anonymous 256 --reject "^default_pager: .*(failed|full)"
swapped pair pair 256 --reject "^default_pager: .*(failed|full)"
swapped full full 16 --expect "^default_pager: swap disk 'disk0' is full" \
	--expect "^vm: a fault waited 10000 ms for a free page and gave up"
# Every read of the swap disk fails (EIO); writes work.
blkdebug=$disks/read-errors.conf
printf '[inject-error]\nevent = "read_aio"\niotype = "read"\nerrno = "5"\n' >"$blkdebug"
swapped readerror readerror 64 --expect "^default_pager: reading swap page [0-9]+ failed" \
	--reject "^default_pager: writing swap page"
blkdebug=
swapped orphan orphan 64 --expect "^vm: object [0-9]+ lost its pager: its dirty pages go to the default pager$"
swapped fallback fallback 64 \
	--expect "^vm: the pager of object [0-9]+ missed its deadline: its dirty pages go to the default pager \(policy fallback\)$" \
	--expect "^vm: object [0-9]+ lost its pager: its dirty pages go to the default pager$"
swapped spill spill 64 --reject "did not come back from the default pager"
swapped limits limits 64
exit $failed
