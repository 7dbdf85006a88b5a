#!/bin/sh
# Fetch lwIP 2.1.3 from Debian's source package and unpack it WITHOUT
# Debian's patches into THIRD_PARTY_DIR/lwip-2.1.3.
#
# usage: fetch-lwip.sh THIRD_PARTY_DIR
#
# The source package comes through apt (`apt-get source --download-only`,
# which needs a deb-src entry, see setup-packages.sh, but not root), so the
# archive's signed indexes vouch for it and no address is written here.  The
# downloads are kept in THIRD_PARTY_DIR/downloads and apt reuses them when
# their checksums still match.
#
# The .orig tarball is upstream's lwip-2.1.3 minus doc/doxygen/output
# (generated HTML; that is the "+dfsg1").  dpkg-source --skip-patches puts
# Debian's debian/ directory beside it, patches unapplied and no .pc/.
set -eu

UPSTREAM=2.1.3

[ $# -eq 1 ] || { echo "usage: $0 THIRD_PARTY_DIR" >&2; exit 2; }
mkdir -p "$1"
third_party=$(cd "$1" && pwd)
dest=$third_party/lwip-$UPSTREAM
downloads=$third_party/downloads

# The tree is unpacked beside the downloads (dpkg-source links the .orig
# tarball next to the directory it makes) and then renamed into place.
tmp=$downloads/lwip-$UPSTREAM.tmp
rm -rf "$dest" "$tmp"
mkdir -p "$downloads"

echo "lwip: fetching the Debian source package"
# As root, apt warns that it downloads "unsandboxed" because user _apt
# cannot write here; that is harmless.
if ! (cd "$downloads" && apt-get source --download-only lwip); then
	echo "lwip: apt-get source failed; is there a deb-src entry?" \
		"(scripts/setup-packages.sh adds one; make setup runs it)" >&2
	exit 1
fi

# Newest downloaded Debian revision of the wanted upstream version.
dsc=$(ls "$downloads"/lwip_"$UPSTREAM"+*.dsc "$downloads"/lwip_"$UPSTREAM"-*.dsc \
	2>/dev/null | sort -V | tail -n 1)
if [ -z "$dsc" ]; then
	echo "lwip: apt did not provide lwIP $UPSTREAM; it has:" >&2
	ls "$downloads" >&2
	exit 1
fi

echo "lwip: unpacking $(basename "$dsc") without Debian's patches"
dpkg-source --skip-patches -x "$dsc" "$tmp"
# init.h spells the version as three defines: MAJOR, MINOR, REVISION.
got=$(sed -n 's/^#define LWIP_VERSION_\(MAJOR\|MINOR\|REVISION\) *\([0-9]*\).*/\2/p' \
	"$tmp/src/include/lwip/init.h" | paste -sd. -)
if [ "$got" != "$UPSTREAM" ]; then
	echo "lwip: $(basename "$dsc") unpacks lwIP '$got', not $UPSTREAM" >&2
	exit 1
fi
mv "$tmp" "$dest"
echo "lwip: done, $dest"
