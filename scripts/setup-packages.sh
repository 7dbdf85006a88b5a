#!/bin/sh
# Install the Debian packages the build needs, and give apt a deb-src entry
# (derived from the machine's own sources) so that `apt-get source lwip`
# works.  Idempotent: the Makefile runs it once and keeps a stamp file.
set -eu

PACKAGES="build-essential flex bison gdb qemu-system-x86 grub-pc-bin
grub-common xorriso mtools newlib-source xz-utils e2fsprogs dpkg-dev
valgrind gnuplot-nox curl python3 socat"

if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi

missing=
for p in $PACKAGES; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done

# A deb-src twin of every deb source this machine already uses.  No archive
# address is written anywhere but into apt's own configuration, and only the
# one it already had.
SRC=/etc/apt/sources.list.d/pagoda-deb-src.sources
need_update=
if ! apt-get indextargets --format '$(CREATED_BY)' 2>/dev/null | grep -q '^Sources$'; then
	tmp=$(mktemp)
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && [ "$f" != "$SRC" ] || continue
		# Keep only stanzas whose Types include "deb"; turn them into deb-src.
		awk 'BEGIN { RS = ""; ORS = "\n\n" }
		     /(^|\n)Types:[^\n]*(^|[ \t])deb([ \t]|\n|$)/ {
		         sub(/Types:[^\n]*/, "Types: deb-src"); print }' "$f" >>"$tmp"
	done
	if [ -f /etc/apt/sources.list ]; then
		sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' /etc/apt/sources.list >"$tmp.list"
		[ -s "$tmp.list" ] && $SUDO cp "$tmp.list" /etc/apt/sources.list.d/pagoda-deb-src.list
		rm -f "$tmp.list"
	fi
	[ -s "$tmp" ] && $SUDO cp "$tmp" "$SRC"
	rm -f "$tmp"
	need_update=1
fi

if [ -n "$missing" ] || [ -n "$need_update" ]; then
	$SUDO apt-get update -q
fi
if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# Without a deb-src entry `apt-get source lwip` fails later with a less
# helpful message; say it here.
if ! apt-get indextargets --format '$(CREATED_BY)' 2>/dev/null | grep -q '^Sources$'; then
	echo "setup: apt still has no deb-src source; add one for this machine's" \
		"Debian archive (see docs/setup.md)" >&2
	exit 1
fi
