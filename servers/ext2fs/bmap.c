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

/* A new block near goal, zeroed if zero (an indirect block), counted in
 * node's i_blocks. */
static kern_return_t new_block(struct ext2_fs *fs, struct ext2_node *node, uint32_t goal,
			       bool zero, uint32_t *block)
{
	static const uint8_t zeros[EXT2_BLOCK_SIZE_MAX];
	kern_return_t kr = ext2_block_alloc(fs, goal, block);

	if (kr != KERN_SUCCESS)
		return kr;
	if (zero && (kr = ext2_block_write(fs, *block, zeros)) != KERN_SUCCESS) {
		ext2_block_free(fs, *block);
		return kr;
	}
	node->inode.i_blocks += fs->block_size / 512;
	return KERN_SUCCESS;
}

/* Entry index of the indirect block at, allocated if it is a hole (an
 * indirect block itself if more, zeroed): in *next. */
static kern_return_t follow_alloc(struct ext2_fs *fs, struct ext2_node *node, uint32_t at,
				  uint64_t index, bool more, uint32_t *next)
{
	uint32_t buf[EXT2_BLOCK_SIZE_MAX / 4];
	kern_return_t kr = follow(fs, at, index, next);

	if (kr != KERN_SUCCESS || *next != 0)
		return kr;
	if ((kr = ext2_block_read(fs, at, buf)) != KERN_SUCCESS ||
	    (kr = new_block(fs, node, at, more, next)) != KERN_SUCCESS)
		return kr;
	buf[index] = *next;
	return ext2_block_write(fs, at, buf);
}

kern_return_t ext2_bmap_alloc(struct ext2_fs *fs, struct ext2_node *node, uint64_t lblock,
			      uint32_t *block, bool *fresh)
{
	uint64_t per = fs->addrs_per_block, index = lblock;
	unsigned depth, root;
	kern_return_t kr = ext2_bmap(fs, node, lblock, block);

	*fresh = false;
	if (kr != KERN_SUCCESS || *block != 0)
		return kr;
	if (index < EXT2_NDIR_BLOCKS)
		depth = 0, root = (unsigned)index;
	else if ((index -= EXT2_NDIR_BLOCKS) < per)
		depth = 1, root = EXT2_IND_BLOCK;
	else if ((index -= per) < per * per)
		depth = 2, root = EXT2_DIND_BLOCK;
	else if ((index -= per * per) < per * per * per)
		depth = 3, root = EXT2_TIND_BLOCK;
	else
		return FS_TOO_LARGE;
	uint32_t goal = node->inode.i_block[0];
	uint32_t at = node->inode.i_block[root];
	if (at == 0) {
		if ((kr = new_block(fs, node, goal, depth > 0, &at)) != KERN_SUCCESS)
			return kr;
		node->inode.i_block[root] = at;
	}
	for (unsigned d = depth; d > 0; d--) {
		uint64_t span = d == 3 ? per * per : d == 2 ? per : 1;
		if ((kr = follow_alloc(fs, node, at, index / span, d > 1, &at)) != KERN_SUCCESS)
			return kr;
		index %= span;
	}
	*block = at;
	*fresh = true;
	return KERN_SUCCESS;
}
