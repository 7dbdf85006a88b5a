#!/usr/bin/env bash
# The pager walkthrough of docs/pager-tools.md, typed at the shell over
# the serial line: memhog writes and checks a mempager object in the
# background; pagerctl lists it, hands it to faultpager (migrate), and
# again over the same store; memhog has lost nothing.  The object's
# policy becomes retry; faultinject makes faultpager hang, and memhog
# waits on it (pagerstat shows the wait); the hang ends, a request asked
# again is served, memhog goes on; the object goes back to mempager,
# and memhog, stopped, reports no byte lost or corrupted and exits 0.
# Then the tools' errors, the default policy, memhog on anonymous
# memory, halt, and a clean disk.
#
# pagerstat is run until it shows memhog's wait: at each of the retries'
# deadlines the thread stops waiting for as long as it takes to ask
# again, and a single pagerstat that fell there found no wait, so the
# script never ended the hang (seen once in eight runs).
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

disk=$(test_disk pagertools build/root.img)
num='[0-9]+'

boot pager_walkthrough --module "$BOOTSTRAP" --module "$CONSOLE devices" \
	--module "$BLK devices" --module "$EXT2FS" --module "$PROC" --module "$MEMPAGER" \
	--module "$FAULTPAGER" --module "$EMUL init=/bin/init" --timeout 400 \
	--qemu -drive --qemu "file=$disk,if=none,id=d0,format=raw" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 \
	--type-after "^# $" 'memhog -i 20 -r 5 > /hog.log & sleep 1; echo started\r' \
	--type-after "^started$" \
		"obj=\$(grep object /hog.log | cut -d' ' -f8 | tr -d ,); echo obj=\$obj\\r" \
	--type-after "^obj=$num$" 'pagerctl list $!\r' \
	--type-after "^regions with a pager: $num$" 'pagerctl replace $obj faultpager migrate\r' \
	--type-after "^object $num: pager replaced by faultpager \(migrate\)" \
		'pagerctl replace $obj faultpager same\r' \
	--type-after "^object $num: pager replaced by faultpager \(same store\)" \
		'pagerctl replace $obj ext2fs same; pagerctl replace $obj mempager same; sleep 1; tail -n 1 /hog.log\r' \
	--type-after "^memhog: round $num: $num pages verified, 0 bytes lost, 0 bytes corrupted$" \
		'pagerctl policy $obj retry 1000\r' \
	--type-after "^object $num: policy retry, deadline 1000 ms$" 'faultinject hang\r' \
	--type-after "^faultpager: mode hang arg 0 after 0: " \
		'sleep 3; faultinject; until pagerstat > /w; grep -q "^threads waiting on a pager: [1-9]" /w; do sleep 1; done; cat /w\r' \
	--type-after "^threads waiting on a pager: 1 " \
		'faultinject none > /dev/null; sleep 6; faultinject\r' \
	--type-after "^faultpager: mode none arg 0 after 0: $num requests, 0 misbehaved$" \
		'pagerctl list; pagerctl replace $obj mempager\r' \
	--type-after "^object $num: pager replaced by mempager \(migrate\)" \
		'sleep 1; kill $!; wait $!; echo memhog exited $?; tail -n 1 /hog.log\r' \
	--type-after "^memhog: done after round" \
		'pagerctl replace 99999 mempager; pagerctl policy $obj often; faultinject jam\r' \
	--type-after "^faultinject: no mode is called 'jam'" 'memhog -s 5; echo status $?\r' \
	--type-after "^status 2$" \
		'memhog -p nosuch; pagerctl policy default; memhog -p anon -n 3 -i 0; echo status $?\r' \
	--type-after "^status 0$" 'halt\r' \
	--expect "^bootstrap: started mempager" --expect "^bootstrap: started faultpager" \
	--expect "^0x[0-9a-f]+ +$num +$num +[0-9]+[KM] " \
	--expect "^object $num: pager replaced by faultpager \(migrate\): $num pages migrated, 0 lost$" \
	--expect "^object $num: pager replaced by faultpager \(same store\): 0 pages migrated, 0 lost$" \
	--expect "^object $num: pager replaced by mempager \(migrate\): $num pages migrated, 0 lost$" \
	--expect "^faultpager: mode hang arg 0 after 0: $num requests, [1-9][0-9]* misbehaved$" \
	--expect "^ +$num +$num +$num +[0-9a-f]+ data +[0-9]+[mu]?s +[0-9]+[mu]?s +$num retry +live$" \
	--expect "^memhog exited 0$" \
	--expect "^memhog: done after round $num: $num pages verified, 0 bytes lost, 0 bytes corrupted$" \
	--expect "^pagerctl: object 99999: no object with a pager has that id$" \
	--expect "^pagerctl: no policy is called 'often'" \
	--expect "^memhog: usage: memhog" \
	--expect "^pagerctl: ext2fs makes no pager objects" \
	--expect "^pagerctl: object $num: mempager does not hold its store$" \
	--expect "^ +$num +$num +256K +$num +retry +1000ms +$num +$num +0 +[1-9][0-9]* +[1-9][0-9]* +0 +0 +[1-9]" \
	--expect "^objects with a pager: $num$" \
	--expect "^memhog: nosuch: no such service$" \
	--expect "^default: policy fail, deadline 5000 ms$" \
	--expect "^memhog: pid $num: 256K of anon, object $num, at 0x" \
	--expect "^memhog: done after round 3: 128 pages verified, 0 bytes lost, 0 bytes corrupted$" \
	--expect "^emul: pid [0-9]+ stops the machine$" \
	--reject "panic" --reject "init: "

disk_clean "pagertools_host: halt_leaves_the_disk_clean" "$disk"
exit "${failed:-0}"
