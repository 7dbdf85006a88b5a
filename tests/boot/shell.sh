#!/usr/bin/env bash
# The system as a user meets it (docs/shell.md): the UNIX server starts
# /bin/init from a copy of the system's disk, init starts the shell on
# the console, and a session is typed at it over the serial line:
# commands, a job interrupted with ^C, a background job, the line
# editor's keys (backspace, ^U, ^W, the arrows) and history, a job
# stopped with ^Z, listed by jobs and continued by fg; then halt,
# which syncs the disk and stops the machine, and the host's e2fsck
# finds the disk clean.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

disk=$(test_disk shell build/root.img)

boot shell_session --module "$BOOTSTRAP" --module "$CONSOLE devices" --module "$BLK devices" \
	--module "$EXT2FS" --module "$PROC" --module "$EMUL init=/bin/init" --timeout 300 \
	--qemu -drive --qemu "file=$disk,if=none,id=d0,format=raw" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 \
	--type-after "^# $" 'x=pagoda; echo "hi $x"; for i in 1 2; do echo n$i; done\r' \
	--type-after "^n2$" 'nosuch\r' \
	--type-after "not found$" "sh -c 'echo looping; while true; do :; done'\\r" \
	--type-after "^looping$" '\003echo status $?\r' \
	--type-after "^status 130$" "sh -c 'echo in the background' & wait; echo waited\\r" \
	--type-after "^waited$" 'echo xy\x7fz\r' \
	--type-after "^xz$" 'garbage\x15echo clean\r' \
	--type-after "^clean$" 'echo one two\x17three\r' \
	--type-after "^one three$" 'echo ac\x1b[Db\r' \
	--type-after "^abc$" 'k=$((k + 1)); echo h$k\r' \
	--type-after "^h1$" '\x1b[A\r' \
	--type-after "^h2$" "sh -c 'echo sleeping; sleep 1; echo woke'\\r" \
	--type-after "^sleeping$" '\032' \
	--type-after "Stopped" 'jobs; echo listed\r' \
	--type-after "^listed$" 'fg\r' \
	--type-after "^woke$" 'halt\r' \
	--expect "^emul: started /bin/init as pid 1$" \
	--expect "^hi pagoda$" --expect "^n1$" \
	--expect "^sh: nosuch: not found$" \
	--expect "^in the background$" \
	--expect "^\[1\]\+  Stopped +sh -c" \
	--expect "^emul: pid [0-9]+ stops the machine$" \
	--reject "panic" --reject "init: "

disk_clean "shell_host: halt_leaves_the_disk_clean" "$disk"
exit "${failed:-0}"
