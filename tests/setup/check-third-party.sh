#!/bin/sh
# Checks what the set-up (mk/setup.mk) produced: the newlib sysroot and the
# cross wrappers build a real static program, and the lwIP tree is 2.1.3 as
# upstream released it.  Prints TAP lines; exits non-zero if any failed.
#
# Reads PAGODA_SYSROOT and PAGODA_LWIP_DIR (exported by mk/setup.mk); by
# default, build/sysroot and build/third_party/lwip-2.1.3 of this tree.
set -u

root=$(cd "$(dirname "$0")/../.." && pwd)
sysroot=${PAGODA_SYSROOT:-$root/build/sysroot}
lwip=${PAGODA_LWIP_DIR:-$root/build/third_party/lwip-2.1.3}
cc=$root/scripts/cross/x86_64-elf-gcc
export PAGODA_SYSROOT="$sysroot"

work=$(mktemp -d "${TMPDIR:-/tmp}/check-third-party.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

number=0
failed=0

ok() {
	number=$((number + 1))
	echo "ok $number - $1"
}

# not_ok NAME REASON [FILE]: REASON and the head of FILE as diagnostics.
not_ok() {
	number=$((number + 1))
	failed=$((failed + 1))
	echo "not ok $number - $1"
	echo "# $2"
	if [ $# -ge 3 ] && [ -s "$3" ]; then
		head -n 15 "$3" | sed 's/^/#   /'
	fi
}

# --- newlib sysroot -------------------------------------------------------

name="sysroot has libc.a and libm.a"
missing=
for f in libc.a libm.a; do
	[ -s "$sysroot/usr/lib/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "$name"
else not_ok "$name" "missing in $sysroot/usr/lib:$missing"; fi

name="sysroot has newlib's headers"
missing=
for f in stdio.h stdlib.h string.h math.h newlib.h sys/reent.h machine/setjmp.h; do
	[ -f "$sysroot/usr/include/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "$name"
else not_ok "$name" "missing in $sysroot/usr/include:$missing"; fi

name="newlib is version 3.3.0"
version=$(sed -n 's/^#define _NEWLIB_VERSION "\(.*\)"/\1/p' \
	"$sysroot/usr/include/_newlib_version.h" 2>/dev/null)
if [ "$version" = 3.3.0 ]; then ok "$name"
else not_ok "$name" "_newlib_version.h says '$version'"; fi

name="newlib has long long and C99 formats and retargetable locks"
missing=
for m in _WANT_IO_LONG_LONG _WANT_IO_C99_FORMATS _RETARGETABLE_LOCKING; do
	grep -q "^#define $m 1" "$sysroot/usr/include/newlib.h" 2>/dev/null ||
		missing="$missing $m"
done
if [ -z "$missing" ]; then ok "$name"
else not_ok "$name" "newlib.h does not define:$missing"; fi

# --- the cross wrappers ---------------------------------------------------

name="x86_64-elf-gcc does not define host OS macros"
"$cc" -dM -E -x c /dev/null >"$work/macros" 2>&1
host=$(grep -E '^#define (__linux__|__linux|linux|__gnu_linux__|__unix__|__unix|unix) ' \
	"$work/macros" | cut -d' ' -f2 | tr '\n' ' ')
if ! grep -q '^#define __x86_64__ 1' "$work/macros"; then
	not_ok "$name" "the preprocessor failed or is not x86_64" "$work/macros"
elif [ -n "$host" ]; then
	not_ok "$name" "still defined: $host"
else ok "$name"; fi

name="smoke program compiles against the sysroot headers only"
# -H lists every header opened; each must be newlib's or gcc's own.
gcc_include=$(gcc -print-file-name=include)
if "$cc" -std=c11 -O2 -Wall -Wextra -Werror -H -c "$root/tests/setup/newlib-smoke.c" \
	-o "$work/smoke.o" 2>"$work/compile.log"; then
	grep '^\.' "$work/compile.log" | sed 's/^\.* //' >"$work/headers"
	awk -v newlib="$sysroot/usr/include/" -v gcc="$gcc_include/" \
		'index($0, newlib) != 1 && index($0, gcc) != 1' \
		"$work/headers" >"$work/foreign"
	if ! grep -qxF "$sysroot/usr/include/stdio.h" "$work/headers"; then
		not_ok "$name" "stdio.h did not come from $sysroot/usr/include" "$work/headers"
	elif [ -s "$work/foreign" ]; then
		not_ok "$name" "headers from outside the sysroot:" "$work/foreign"
	else ok "$name"; fi
else
	grep -v '^\.' "$work/compile.log" >"$work/compile.errors"
	not_ok "$name" "compiling failed" "$work/compile.errors"
fi

name="a host-only header is not found"
printf '#include <sys/epoll.h>\n' >"$work/epoll.c"
if "$cc" -c "$work/epoll.c" -o "$work/epoll.o" >"$work/epoll.log" 2>&1; then
	not_ok "$name" "<sys/epoll.h> was found: host headers leak in"
elif grep -q 'sys/epoll.h: No such file' "$work/epoll.log"; then
	ok "$name"
else
	not_ok "$name" "compiling failed for another reason" "$work/epoll.log"
fi

name="smoke program links statically with libc.a and libm.a, without warnings"
if [ -s "$work/smoke.o" ] &&
	"$cc" -o "$work/smoke" "$work/smoke.o" -lm >"$work/link.log" 2>&1; then
	if [ -s "$work/link.log" ]; then
		not_ok "$name" "the linker complained" "$work/link.log"
	else ok "$name"; fi
else
	not_ok "$name" "linking failed" "$work/link.log"
fi

name="host glibc is not linked in"
printf 'extern const char *gnu_get_libc_version(void);\nvoid _start(void) { gnu_get_libc_version(); }\n' \
	>"$work/glibc.c"
if "$cc" -o "$work/glibc" "$work/glibc.c" >"$work/glibc.log" 2>&1; then
	not_ok "$name" "gnu_get_libc_version resolved: the host libc was searched"
elif grep -q 'undefined reference to .gnu_get_libc_version' "$work/glibc.log"; then
	ok "$name"
else
	not_ok "$name" "linking failed for another reason" "$work/glibc.log"
fi

name="host library directories are not searched"
# librt.a exists on the host (glibc) and not in the sysroot.
if "$cc" -o "$work/glibc" "$work/glibc.c" -lrt >"$work/rt.log" 2>&1; then
	not_ok "$name" "-lrt was found"
elif grep -q 'cannot find -lrt' "$work/rt.log"; then
	ok "$name"
else
	not_ok "$name" "linking failed for another reason" "$work/rt.log"
fi

name="smoke program is a static non-PIE ELF64 x86-64 executable"
if [ -s "$work/smoke" ]; then
	readelf -h "$work/smoke" >"$work/header" 2>&1
	readelf -lW "$work/smoke" >"$work/segments" 2>&1
	why=
	grep -q 'Class: *ELF64' "$work/header" || why="$why not ELF64;"
	grep -q 'Type: *EXEC' "$work/header" || why="$why not EXEC (PIE?);"
	grep -q 'Machine: *Advanced Micro Devices X86-64' "$work/header" ||
		why="$why not X86-64;"
	grep -q 'INTERP' "$work/segments" && why="$why has an interpreter;"
	grep -q 'DYNAMIC' "$work/segments" && why="$why has a dynamic segment;"
	grep 'GNU_STACK' "$work/segments" | grep -q 'RWE' && why="$why executable stack;"
	if [ -z "$why" ]; then ok "$name"
	else not_ok "$name" "$why" "$work/header"; fi
else
	not_ok "$name" "there is no executable to inspect"
fi

name="smoke program runs: printf, malloc, strtod, libm"
expected='strtod=2500 lld=1234567890123 zu=8 str=pagoda cbrt=3.000'
if [ "$(uname -sm)" != "Linux x86_64" ]; then
	ok "$name # SKIP the host is not x86_64 Linux"
elif [ -x "$work/smoke" ]; then
	"$work/smoke" >"$work/output" 2>&1
	rc=$?
	if [ "$rc" -ne 0 ]; then
		not_ok "$name" "exit status $rc" "$work/output"
	elif [ "$(cat "$work/output")" != "$expected" ]; then
		not_ok "$name" "expected '$expected', got:" "$work/output"
	else ok "$name"; fi
else
	not_ok "$name" "there is no executable to run"
fi

# --- lwIP source tree -----------------------------------------------------

name="lwIP is version 2.1.3"
version=$(sed -n 's/^#define LWIP_VERSION_\(MAJOR\|MINOR\|REVISION\) *\([0-9]*\).*/\2/p' \
	"$lwip/src/include/lwip/init.h" 2>/dev/null | paste -sd. -)
if [ "$version" = 2.1.3 ]; then ok "$name"
else not_ok "$name" "$lwip/src/include/lwip/init.h says '$version'"; fi

name="lwIP tree has the core, API and netif sources"
missing=
for f in src/core/tcp.c src/core/udp.c src/core/pbuf.c src/core/ipv4/ip4.c \
	src/core/ipv4/etharp.c src/api/sockets.c src/api/tcpip.c \
	src/netif/ethernet.c src/include/lwip/opt.h src/Filelists.mk; do
	[ -f "$lwip/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "$name"
else not_ok "$name" "missing in $lwip:$missing"; fi

name="lwIP tree is unpatched: no .pc/, debian/patches present"
if [ -e "$lwip/.pc" ]; then
	not_ok "$name" "$lwip/.pc exists: quilt applied Debian's patches"
elif [ ! -s "$lwip/debian/patches/series" ]; then
	not_ok "$name" "$lwip/debian/patches/series is missing"
else ok "$name"; fi

name="CVE-2020-8597 patch is not applied to ppp/eap.c"
eap=$lwip/src/netif/ppp/eap.c
if [ ! -f "$eap" ]; then
	not_ok "$name" "$eap is missing"
elif grep -q 'len - vallen >= (int)sizeof (rhostname)' "$eap"; then
	not_ok "$name" "eap.c has Debian's fix"
elif ! grep -q 'vallen >= len + sizeof (rhostname)' "$eap"; then
	not_ok "$name" "eap.c has neither the upstream line nor Debian's"
else ok "$name"; fi

name="Debian's whole patch series applies in order to the tree"
# Applied to a copy; patch -N refuses a patch that is already applied.
if [ -s "$lwip/debian/patches/series" ] && cp -R "$lwip" "$work/lwip"; then
	: >"$work/patch.log"
	bad=
	for p in $(grep -v '^#' "$lwip/debian/patches/series"); do
		(cd "$work/lwip" && patch -p1 -N -s <"debian/patches/$p") \
			>>"$work/patch.log" 2>&1 || { bad=$p; break; }
	done
	if [ -z "$bad" ]; then ok "$name"
	else not_ok "$name" "patch $bad does not apply" "$work/patch.log"; fi
else
	not_ok "$name" "no patch series to apply"
fi

[ "$failed" -eq 0 ]
