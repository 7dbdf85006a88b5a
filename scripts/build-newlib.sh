#!/bin/sh
# Build newlib 3.3.0 from Debian's newlib-source package for x86_64-elf with
# the host gcc (through scripts/cross), and install it as a sysroot:
#
#   SYSROOT/usr/include    newlib's headers (stdio.h, newlib.h, machine/, sys/)
#   SYSROOT/usr/lib        libc.a, libm.a, libg.a
#
# That is the layout `gcc --sysroot=SYSROOT` searches, so the wrappers need
# no -I or -isystem of their own.
#
# usage: build-newlib.sh THIRD_PARTY_DIR SYSROOT
#
# Every output is removed first and the sysroot appears by a rename only
# after the install succeeded, so a failed or interrupted run leaves nothing
# half-made behind.  The whole log is THIRD_PARTY_DIR/newlib.log; its tail is
# printed on failure.  NEWLIB_JOBS (default: the number of CPUs) sets the
# parallelism of newlib's own make.
set -eu

TARBALL=/usr/src/newlib/newlib-3.3.0.tar.xz
VERSION=3.3.0

[ $# -eq 2 ] || { echo "usage: $0 THIRD_PARTY_DIR SYSROOT" >&2; exit 2; }
mkdir -p "$1"
third_party=$(cd "$1" && pwd)
case $2 in /*) sysroot=$2 ;; *) sysroot=$(pwd)/$2 ;; esac
cross=$(cd "$(dirname "$0")/cross" && pwd)

src=$third_party/newlib-$VERSION
build=$third_party/newlib-build
stage=$third_party/newlib-stage
log=$third_party/newlib.log
jobs=${NEWLIB_JOBS:-$(nproc 2>/dev/null || echo 2)}

if [ ! -r "$TARBALL" ]; then
	echo "newlib: $TARBALL is missing (Debian package newlib-source)" >&2
	exit 1
fi

step() {
	echo "newlib: $1"
	echo "=== $1" >>"$log"
}

fail() {
	echo "newlib: $1 failed; last lines of $log:" >&2
	tail -n 40 "$log" | sed 's/^/  | /' >&2
	exit 1
}

rm -rf "$src" "$src.tmp" "$build" "$stage" "$sysroot" "$sysroot.tmp"
: >"$log"

# The make that runs us may pass its flags and command-line variables
# (CC=..., CFLAGS=...) down through the environment; newlib must not see them.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES GNUMAKEFLAGS \
	CC CFLAGS CPPFLAGS LDFLAGS CPATH C_INCLUDE_PATH LIBRARY_PATH
export PATH="$cross:$PATH"
# While newlib builds, the wrappers must not find an older sysroot.
export PAGODA_SYSROOT="$stage/empty-sysroot"

step "unpacking $TARBALL"
mkdir "$src.tmp"
tar --no-same-owner -xJf "$TARBALL" -C "$src.tmp" >>"$log" 2>&1 || fail "unpacking"
# The tarball holds one directory, newlib-salsa/ (Debian's patches applied).
mv "$src.tmp/newlib-salsa" "$src"
rmdir "$src.tmp"

step "configuring for x86_64-elf"
mkdir -p "$build"
(cd "$build" && "$src/configure" \
	--target=x86_64-elf --prefix=/usr \
	--disable-multilib --disable-nls \
	--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
	--enable-newlib-retargetable-locking \
	CFLAGS_FOR_TARGET="-O2 -g -Wa,--noexecstack") >>"$log" 2>&1 ||
	fail "configure"

step "building (make -j$jobs; log in $log)"
make -C "$build" -j"$jobs" all-target-newlib >>"$log" 2>&1 || fail "make"

step "installing into $sysroot"
make -C "$build" install-target-newlib DESTDIR="$stage" >>"$log" 2>&1 ||
	fail "make install"
# newlib installs under PREFIX/x86_64-elf/; flatten that into SYSROOT/usr.
mkdir -p "$sysroot.tmp/usr"
mv "$stage/usr/x86_64-elf/include" "$sysroot.tmp/usr/include"
mv "$stage/usr/x86_64-elf/lib" "$sysroot.tmp/usr/lib"
for f in libc.a libm.a; do
	[ -s "$sysroot.tmp/usr/lib/$f" ] || fail "installing $f"
done
grep -q "_NEWLIB_VERSION \"$VERSION\"" "$sysroot.tmp/usr/include/_newlib_version.h" ||
	fail "the version check ($VERSION)"
mv "$sysroot.tmp" "$sysroot"
rm -rf "$stage"
echo "newlib: done"
