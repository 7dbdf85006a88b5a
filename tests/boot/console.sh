#!/usr/bin/env bash
# The console driver: servers/console ("devices": bootstrap gives it the
# device master port) with the guest program consoletest
# (tests/guest/console/), which prints its own TAP.  Each time consoletest
# needs input it prints "# console: type KEY", and this harness types into
# the serial line what it gives for KEY below; the harness then checks the
# serial output: what consoletest wrote, the echo of what was typed, and
# no echo where echo was off.  No -icount: the guest waits, with
# deadlines, for typing that takes real time.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

CONSOLETEST=${CONSOLETEST:-build/tests/guest/consoletest}
log=build/test-logs/console.log

# answer KEY TEXT: what to type after consoletest's prompt for KEY (TEXT
# in printf %b's escapes: \r Enter, \177 DEL, \b BS, \025 ^U, \003 ^C,
# \027 ^W, \004 ^D, \032 ^Z).
typing=()
answer() {
	typing+=(--type-after "^# console: type $1\$" "$2")
}
answer canonical 'hello world\r'
answer pieces 'abcdefghij\r'
answer erase 'abx\177cx\bd\r'
answer kill 'wrong line\025right\r'
answer werase 'one two  three\027\027four\r'
answer eof 'abc\004\004'
answer half 'half'
answer noecho 'hushhush\r'
answer raw 'xy\177\025\003'
answer interrupt 'partial\003'
answer after 'after\r'
answer suspend 'partial\032'
answer resumed 'resumed\r'
answer orphan 'mine\r'

bs=$'\b'
boot console --module "$BOOTSTRAP" --module "$CONSOLE devices" --module "$CONSOLETEST" \
	--guest-tap --timeout 60 --log "$log" "${typing[@]}" \
	--expect "^console: serving COM1$" \
	--expect "^# consoletest: [0-9]+ passed, 0 failed$" \
	--expect "^console says hello$" \
	--expect "^console hears everyone$" \
	--expect "^hello world$" \
	--expect "^abcdefghij$" \
	--expect "^abx$bs $bs""cx$bs $bs""d$" \
	--expect "^wrong line($bs $bs){10}right$" \
	--expect "^one two  three($bs $bs){10}four$" \
	--expect "^abc$" \
	--expect "^half$" \
	--expect "^partial\^C$" \
	--expect "^after$" \
	--expect "^mine$" \
	--reject "hushhush" \
	--reject "^consoletest: unknown role" --reject "panic"

# Every line of the bulk writes and of the widest write came out, whole.
check_count() {   # NAME REGEX COUNT
	local n
	n=$(grep -cE -- "$2" "$log")
	if [ "$n" -eq "$3" ]; then
		echo "ok - console: $1"
	else
		echo "not ok - console: $1"
		echo "# $n lines match '$2', expected $3"
		failed=1
	fi
}
check_count every_bulk_line_comes_out_whole \
	'^bulk line [0-9]{3} of 200 \.{26}$' 200
check_count every_line_of_the_widest_write_comes_out_whole '^wide [0-9]{2} x{55}$' 16
exit $failed
