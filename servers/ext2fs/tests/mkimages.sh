#!/bin/sh
# The host tests' ext2 images (servers/ext2fs/tests/), made the way the
# build makes the system's: mke2fs -d from a staging tree.
#
#   servers/ext2fs/tests/mkimages.sh OUTDIR
#
# OUTDIR/tree      the staging tree, which the tests compare the images with
# OUTDIR/1k.img    1 KiB blocks, the features the server writes
# OUTDIR/4k.img    4 KiB blocks, the same
# OUTDIR/full.img  1 KiB blocks, mke2fs's own default features for ext2
#                  (ext_attr, resize_inode, dir_index as well)
set -eu
out=$1
tree=$out/tree
rm -rf "$tree" "$out"/*.img
mkdir -p "$tree/dir/sub" "$tree/many" "$tree/empty"

printf 'hello, ext2\n' >"$tree/hello.txt"
printf 'three levels down\n' >"$tree/dir/sub/deep.txt"
: >"$tree/zero-length"
# 588,895 bytes: past the direct blocks and into the double-indirect ones
# with 1 KiB blocks.
seq 1 100000 >"$tree/big"
# Sparse: a hole, then a line at 70 MiB -- under the triple-indirect
# block with 1 KiB blocks (12 + 256 + 65,536 blocks end at 64.3 MiB).
printf 'after the hole\n' | dd of="$tree/sparse" bs=1 seek=$((70 * 1024 * 1024)) \
	conv=notrunc status=none
ln -s hello.txt "$tree/link"
ln -s dir/sub/deep.txt "$tree/dir-link"
ln -s "$(printf 'a%.0s' $(seq 1 80))/../hello.txt" "$tree/long-link"
ln -s loop-b "$tree/loop-a"
ln -s loop-a "$tree/loop-b"
ln -s /dir/sub "$tree/dir/abs-link"
i=0
while [ $i -lt 300 ]; do
	printf 'file %d\n' $i >"$tree/many/file-$i"
	i=$((i + 1))
done

features=none,filetype,sparse_super,large_file
# mke2fs talks on success too; its words are kept for a failure.
mk() {
	mke2fs -q -F -t ext2 "$@" >"$out/mke2fs.log" 2>&1 || { cat "$out/mke2fs.log" >&2; exit 1; }
}
mk -b 1024 -I 128 -O $features -d "$tree" "$out/1k.img" 16M
mk -b 4096 -I 256 -O $features -d "$tree" "$out/4k.img" 16M
mk -b 1024 -d "$tree" "$out/full.img" 16M
