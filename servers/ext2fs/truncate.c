/*
 * Truncation: a file's map trimmed to its new size.  Each of i_block's
 * trees -- a direct block, or an indirect block of depth 1 to 3 over the
 * logical blocks [base, base + its span) -- loses the blocks from keep
 * on, and an indirect block left mapping nothing goes too.  Pointers are
 * checked before they are followed (a bad one is FS_CORRUPT); the depth
 * is fixed, so a bad map cannot loop.
 */
#include <kern/string.h>

#include "ext2fs.h"

/* The logical blocks an indirect block of depth d maps. */
static uint64_t span_of(const struct ext2_fs *fs, unsigned d)
{
	uint64_t span = 1;

	while (d-- > 0)
		span *= fs->addrs_per_block;
	return span;
}

static kern_return_t free_one(struct ext2_fs *fs, struct ext2_node *node, uint32_t *p)
{
	kern_return_t kr = ext2_block_free(fs, *p);

	if (kr == KERN_SUCCESS) {
		*p = 0;
		node->inode.i_blocks -= node->inode.i_blocks >= fs->block_size / 512
						? fs->block_size / 512
						: node->inode.i_blocks;
	}
	return kr;
}

/* The tree at *p (depth d, from logical block base) without the blocks
 * from keep on. */
static kern_return_t trim(struct ext2_fs *fs, struct ext2_node *node, uint32_t *p, unsigned d,
			  uint64_t base, uint64_t keep)
{
	uint32_t buf[EXT2_BLOCK_SIZE_MAX / 4];
	bool changed = false, empty = true;

	if (*p == 0 || base + span_of(fs, d) <= keep)
		return KERN_SUCCESS;
	if (d == 0)
		return free_one(fs, node, p);
	uint64_t child = span_of(fs, d - 1);
	kern_return_t kr = ext2_block_valid(fs, *p) ? ext2_block_read(fs, *p, buf) : FS_CORRUPT;
	for (uint32_t i = 0; kr == KERN_SUCCESS && i < fs->addrs_per_block; i++) {
		uint32_t was = buf[i];
		kr = trim(fs, node, &buf[i], d - 1, base + i * child, keep);
		changed |= buf[i] != was;
		empty &= buf[i] == 0;
	}
	if (kr != KERN_SUCCESS)
		return kr;
	if (empty)
		return free_one(fs, node, p);
	return changed ? ext2_block_write(fs, *p, buf) : KERN_SUCCESS;
}

/* The rest of the block holding byte size (if it is inside one) zeroed. */
static kern_return_t zero_tail(struct ext2_fs *fs, struct ext2_node *node, uint64_t size)
{
	uint8_t buf[EXT2_BLOCK_SIZE_MAX];
	uint32_t within = (uint32_t)(size % fs->block_size), block;

	if (within == 0)
		return KERN_SUCCESS;
	kern_return_t kr = ext2_bmap(fs, node, size / fs->block_size, &block);
	if (kr != KERN_SUCCESS || block == 0)
		return kr;
	if ((kr = ext2_block_read(fs, block, buf)) != KERN_SUCCESS)
		return kr;
	memset(buf + within, 0, fs->block_size - within);
	return ext2_block_write(fs, block, buf);
}

/* The map's reach, and i_blocks' (32 bits of 512-byte sectors, which
 * count the indirect blocks too: one in per_block, and a few more). */
uint64_t ext2_size_max(const struct ext2_fs *fs)
{
	uint64_t per = fs->addrs_per_block;
	uint64_t blocks = EXT2_NDIR_BLOCKS + per + per * per + per * per * per;
	uint64_t counted = 0xffffffffull / (fs->block_size / 512);

	counted -= counted / per + 3;
	return (blocks < counted ? blocks : counted) * fs->block_size;
}

void ext2_node_set_size(struct ext2_fs *fs, struct ext2_node *node, uint64_t size)
{
	node->inode.i_size = (uint32_t)size;
	if (ext2_node_type(node) == EXT2_S_IFREG)
		node->inode.i_size_high = (uint32_t)(size >> 32);
	if (size >> 31 != 0)
		fs->super.s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
}

kern_return_t ext2_truncate(struct ext2_fs *fs, struct ext2_node *node, uint64_t size)
{
	uint64_t keep = (size + fs->block_size - 1) / fs->block_size;
	kern_return_t kr = KERN_SUCCESS;

	if (fs->read_only)
		return FS_READ_ONLY;
	if (size > ext2_size_max(fs) || (ext2_node_type(node) != EXT2_S_IFREG && size >> 32))
		return FS_TOO_LARGE;
	if (size < ext2_node_size(node)) {
		for (unsigned i = 0; kr == KERN_SUCCESS && i < EXT2_NDIR_BLOCKS; i++)
			kr = trim(fs, node, &node->inode.i_block[i], 0, i, keep);
		uint64_t base = EXT2_NDIR_BLOCKS;
		for (unsigned d = 1; kr == KERN_SUCCESS && d <= 3; d++) {
			kr = trim(fs, node, &node->inode.i_block[EXT2_IND_BLOCK + d - 1], d, base,
				  keep);
			base += span_of(fs, d);
		}
		if (kr == KERN_SUCCESS)
			kr = zero_tail(fs, node, size);
	}
	if (kr != KERN_SUCCESS)
		return kr;
	ext2_node_set_size(fs, node, size);
	return ext2_inode_put(fs, node);
}
