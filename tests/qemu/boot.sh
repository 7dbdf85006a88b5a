#!/usr/bin/env bash
# Boots Pagoda once under QEMU and judges the boot; prints TAP.
#
#   tests/qemu/boot.sh --name NAME (--kernel ELF32 | --iso ISO) [options]
#
#   --append ARGS       kernel command line (with --kernel)
#   --module "FILE ARGS" a boot module and its command line (repeatable)
#   --memory MIB        guest RAM (default 128)
#   --timeout SECONDS   the guest is killed after this long (default 60)
#   --expect-status S   how the guest must end: success, test-failed, panic,
#                       boot-error (isa-debug-exit codes, see
#                       kernel/arch/x86_64/machine.h), or stopped (killed by
#                       us once --stop-at matched)
#   --expect REGEX      some line of the output must match (repeatable)
#   --reject REGEX      no line of the output may match (repeatable)
#   --stop-at REGEX     end the guest once a line matches (repeatable: once
#                       each has matched some line)
#   --stop-signal SIG   how the guest is ended then (default TERM, with
#                       which QEMU closes its disks; KILL ends it at once)
#   --guest-tap         the guest prints TAP itself: pass its results on, and
#                       fail if its plan ("1..N") is missing or unmet
#   --qemu ARG          one more QEMU argument, as it is (repeatable):
#                       devices, drives, networks
#   --type-after REGEX TEXT
#                       once a line of the output matches REGEX, type TEXT
#                       into the guest's serial line (repeatable; each waits
#                       until those before it have typed, so each REGEX
#                       should match a line that comes only after the typing
#                       before it).  TEXT is expanded as printf's %b does:
#                       \r is Enter, \177 DEL, \b backspace, \025 ^U,
#                       \003 ^C.  Without it the serial line's input is
#                       /dev/null; with it, a FIFO (NAME.log.in) that stays
#                       open until the guest ends.
#   --icount            run with -icount shift=0,sleep=off (rdtsc counts
#                       guest instructions)
#   --log FILE          where the serial output goes
#                       (default build/test-logs/NAME.log)
#
# One "ok"/"not ok" line judges the boot as a whole; a hung guest is killed
# and reported with the last lines it printed.
set -u

name= kernel= iso= append= memory=128 timeout=60 status=success
guest_tap= icount= log= stop_signal=TERM
modules=() expects=() rejects=() extra=() type_res=() type_texts=() stop_at=()
while [ $# -gt 0 ]; do
	case $1 in
	--name) name=$2; shift ;;
	--kernel) kernel=$2; shift ;;
	--iso) iso=$2; shift ;;
	--append) append=$2; shift ;;
	--module) modules+=("$2"); shift ;;
	--memory) memory=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--expect-status) status=$2; shift ;;
	--expect) expects+=("$2"); shift ;;
	--reject) rejects+=("$2"); shift ;;
	--stop-at) stop_at+=("$2"); shift ;;
	--stop-signal) stop_signal=$2; shift ;;
	--guest-tap) guest_tap=1 ;;
	--icount) icount=1 ;;
	--qemu) extra+=("$2"); shift ;;
	--type-after) type_res+=("$2"); type_texts+=("$3"); shift 2 ;;
	--log) log=$2; shift ;;
	*) echo "not ok - boot.sh: unknown argument '$1'"; exit 1 ;;
	esac
	shift
done
[ -n "$name" ] || { echo "not ok - boot.sh: --name is required"; exit 1; }
log=${log:-build/test-logs/$name.log}
mkdir -p "$(dirname "$log")"

args=(-accel tcg -m "$memory" -display none -monitor none -serial stdio
      -nic none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04)
# Under -icount the clock chip follows guest time too, so that its
# periodic interrupt keeps pace with guest timeouts.
[ -n "$icount" ] && args+=(-icount shift=0,sleep=off -rtc clock=vm)
if [ -n "$iso" ]; then
	args+=(-cdrom "$iso" -boot d)
else
	args+=(-kernel "$kernel")
	[ -n "$append" ] && args+=(-append "$append")
	if [ ${#modules[@]} -gt 0 ]; then
		# QEMU separates modules with commas; a literal comma is doubled.
		joined=
		for m in "${modules[@]}"; do
			joined=${joined:+$joined,}${m//,/,,}
		done
		args+=(-initrd "$joined")
	fi
fi

args+=("${extra[@]}")

raw=$log.raw
: >"$raw"      # exists before the first poll, whenever QEMU's shell opens it
input=/dev/null typer= typed=0
if [ ${#type_res[@]} -gt 0 ]; then
	# Held open for writing here, so that QEMU's read end never sees
	# the end of its input between two typings.
	input=$log.in
	rm -f "$input"
	mkfifo "$input"
	exec {typer}<>"$input"
fi
# Whether every REGEX matches some line of the output so far.
all_seen() {
	local re
	for re in "$@"; do
		tr -d '\r' <"$raw" | grep -qE -- "$re" || return 1
	done
}

qemu-system-x86_64 "${args[@]}" >"$raw" 2>&1 <"$input" &
qemu=$!
ended=
start=$SECONDS
while kill -0 "$qemu" 2>/dev/null; do
	while [ "$typed" -lt ${#type_res[@]} ] &&
		tr -d '\r' <"$raw" | grep -qE -- "${type_res[$typed]}"; do
		printf '%b' "${type_texts[$typed]}" >&"$typer"
		typed=$((typed + 1))
	done
	if [ ${#stop_at[@]} -gt 0 ] && all_seen "${stop_at[@]}"; then
		kill -s "$stop_signal" "$qemu" 2>/dev/null
		ended=stopped
		break
	fi
	if [ $((SECONDS - start)) -ge "$timeout" ]; then
		kill "$qemu" 2>/dev/null
		ended=hung
		break
	fi
	sleep 0.2
done
{ wait "$qemu"; } 2>/dev/null   # no "Killed" notice for --stop-signal KILL
code=$?
if [ -n "$typer" ]; then
	exec {typer}>&-
	rm -f "$input"
fi
# Serial output without carriage returns or the BIOS's terminal escapes.
tr -d '\r' <"$raw" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' >"$log"
rm -f "$raw"

if [ -z "$ended" ]; then
	case $code in
	33) ended=success ;;
	35) ended=test-failed ;;
	37) ended=panic ;;
	39) ended=boot-error ;;
	0) ended="reset (a triple fault, or a reboot)" ;;
	*) ended="QEMU exit status $code" ;;
	esac
fi

problems=()
[ "$ended" = "$status" ] || problems+=("expected the guest to end in '$status', it ended in '$ended'")
for re in "${expects[@]}"; do
	grep -qE -- "$re" "$log" || problems+=("no output line matches: $re")
done
for re in "${rejects[@]}"; do
	grep -qE -- "$re" "$log" && problems+=("an output line matches what must not appear: $re")
done

if [ -n "$guest_tap" ]; then
	# Pass the guest's results on, named after this boot.
	sed -nE "s/^(ok|not ok) [0-9]+ - (.*)$/\1 - $name: \2/p" "$log"
	plan=$(sed -nE 's/^1\.\.([0-9]+)$/\1/p' "$log" | tail -n 1)
	seen=$(grep -cE '^(ok|not ok) [0-9]+ - ' "$log")
	if [ -z "$plan" ]; then
		problems+=("the guest printed no TAP plan: it stopped before finishing its tests")
	elif [ "$plan" != "$seen" ]; then
		problems+=("the guest planned $plan tests and reported $seen")
	fi
fi

if [ ${#problems[@]} -eq 0 ]; then
	echo "ok - $name"
	exit 0
fi
echo "not ok - $name"
for p in "${problems[@]}"; do
	echo "# $p"
done
echo "# last lines of $log:"
tail -n 15 "$log" | sed 's/^/#   /'
exit 1
