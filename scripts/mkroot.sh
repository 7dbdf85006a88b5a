#!/bin/sh
# The system's disk (docs/fs.md, "The system's disk"): an ext2 image made
# with mke2fs -d from a staging tree -- rootfs/ of the repository, the
# directories of the root layout, and the programs given, in /bin.  Every
# file is root's but /home/user, the user's; the image is the same
# whoever builds it.
#
#   scripts/mkroot.sh IMAGE SIZE_MB PROGRAM... [FILE=/PATH...]
set -eu
image=$1
size=$2
shift 2
stage=$image.d
rm -rf "$stage" "$image"
mkdir -p "$stage"
cp -R rootfs/. "$stage/"
mkdir -p "$stage/bin" "$stage/dev" "$stage/home/root" "$stage/home/user" "$stage/tmp"
# place FILE DEST: FILE copied to DEST; a program without its debug
# information, which is most of its size (about 1.1 MiB against 200 KiB
# of text) and would leave the image too full for the file system's
# benchmarks and for users.  build/ keeps the whole ELF for GDB.
place() {
	cp "$1" "$2"
	if [ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = "177ELF" ]; then
		strip --strip-debug "$2"
	fi
}

# A FILE=/PATH argument puts FILE at /PATH instead.
for program in "$@"; do
	case $program in
	*=/*) place "${program%%=*}" "$stage${program#*=}" ;;
	*) place "$program" "$stage/bin/${program##*/}" ;;
	esac
done
find "$stage" -type d -exec chmod 755 {} +
find "$stage" -type f -exec chmod 644 {} +
chmod 755 "$stage"/bin/*
chmod 1777 "$stage/tmp"
chmod 700 "$stage/home/root"

# The features the file server writes; 5% of the blocks kept for root.
# mke2fs talks on success too; its words are kept for a failure.
mke2fs -q -F -t ext2 -b 4096 -I 256 -m 5 -L pagoda \
	-O none,filetype,sparse_super,large_file -E root_owner=0:0 \
	-d "$stage" "$image" "${size}M" >"$image.log" 2>&1 || { cat "$image.log" >&2; exit 1; }
# Owners as the system wants them, not as the builder's files were.
(
	cd "$stage"
	find . -mindepth 1 | sed 's|^\.||' | while read -r path; do
		owner=0
		case $path in /home/user | /home/user/*) owner=1000 ;; esac
		printf 'sif %s uid %s\nsif %s gid %s\n' "$path" $owner "$path" $owner
	done
) >"$image.owners"
debugfs -w -f "$image.owners" "$image" >"$image.log" 2>&1 || { cat "$image.log" >&2; exit 1; }
e2fsck -fn "$image" >"$image.log" 2>&1 || { cat "$image.log" >&2; exit 1; }
