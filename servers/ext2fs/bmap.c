/*
 * A file's block map: i_block's 12 direct pointers, then one block of
 * pointers (single indirect), a block of those (double) and a block of
 * those (triple).  A zero pointer is a hole at any level.  Every pointer
 * read from the image is checked to lie inside the file system before it
 * is followed, so a bad map ends in FS_CORRUPT, never in a read elsewhere;
 * the depth is fixed, so it cannot loop.
 */
#include "ext2fs.h"

/* Entry index of the indirect block at block, in *next (0: a hole). */
static kern_return_t follow(const struct ext2_fs *fs, uint32_t block, uint64_t index,
			    uint32_t *next)
{
	uint32_t buf[EXT2_BLOCK_SIZE_MAX / 4];

	if (!ext2_block_valid(fs, block)) {
		ext2_complain("ext2fs: indirect block %u is outside the file system", block);
		return FS_CORRUPT;
	}
	kern_return_t kr = ext2_block_read(fs, block, buf);
	if (kr == KERN_SUCCESS)
		*next = buf[index];
	return kr;
}

kern_return_t ext2_bmap(const struct ext2_fs *fs, const struct ext2_node *node,
			uint64_t lblock, uint32_t *block)
{
	uint64_t per = fs->addrs_per_block;
	unsigned depth;
	uint32_t at;

	*block = 0;
	if (lblock < EXT2_NDIR_BLOCKS) {
		depth = 0;
		at = node->inode.i_block[lblock];
	} else if ((lblock -= EXT2_NDIR_BLOCKS) < per) {
		depth = 1;
		at = node->inode.i_block[EXT2_IND_BLOCK];
	} else if ((lblock -= per) < per * per) {
		depth = 2;
		at = node->inode.i_block[EXT2_DIND_BLOCK];
	} else if ((lblock -= per * per) < per * per * per) {
		depth = 3;
		at = node->inode.i_block[EXT2_TIND_BLOCK];
	} else {
		return KERN_SUCCESS;   /* past the largest file: a hole */
	}
	/* lblock is now the index under the depth's root. */
	for (unsigned d = depth; d > 0 && at != 0; d--) {
		uint64_t span = d == 3 ? per * per : d == 2 ? per : 1;
		kern_return_t kr = follow(fs, at, lblock / span, &at);
		if (kr != KERN_SUCCESS)
			return kr;
		lblock %= span;
	}
	if (at != 0 && !ext2_block_valid(fs, at)) {
		ext2_complain("ext2fs: inode %u: data block %u is outside the file system",
			      node->ino, at);
		return FS_CORRUPT;
	}
	*block = at;
	return KERN_SUCCESS;
}
