/*
 * Allocation: each group's block bitmap and inode bitmap (a bit per block
 * or inode of the group, set if in use), and the free counts kept three
 * ways -- in the bitmaps, in each group's descriptor, in the superblock
 * -- which every allocation and free keeps equal.  The bitmaps and
 * descriptors go to the disk as they change; the superblock's counts at
 * ext2_sync.
 *
 * The image may lie: a bitmap that says a group's own metadata (its
 * superblock backup and descriptors, its bitmaps, its inode table) is
 * free, a bit already clear when a block is freed, counts that disagree
 * with the bits.  Each is FS_CORRUPT, never an allocation over metadata
 * or a count that wraps.
 */
#include <kern/string.h>

#include "ext2fs.h"

static uint32_t group_first(const struct ext2_fs *fs, uint32_t g)
{
	return fs->super.s_first_data_block + g * fs->super.s_blocks_per_group;
}

/* The blocks of group g (the last group may be short). */
static uint32_t group_blocks(const struct ext2_fs *fs, uint32_t g)
{
	uint32_t left = fs->super.s_blocks_count - group_first(fs, g);

	return left < fs->super.s_blocks_per_group ? left : fs->super.s_blocks_per_group;
}

static bool power_of(uint32_t n, uint32_t base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

/* Whether group g keeps a backup of the superblock and descriptors. */
static bool has_backup(const struct ext2_fs *fs, uint32_t g)
{
	if (!(fs->super.s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER))
		return true;
	return g <= 1 || power_of(g, 3) || power_of(g, 5) || power_of(g, 7);
}

uint32_t ext2_gdt_blocks(const struct ext2_fs *fs)
{
	uint32_t per_block = fs->block_size / sizeof(struct ext2_group);

	return (fs->groups + per_block - 1) / per_block;
}

/* Whether block, of group g, is the group's own metadata. */
static bool is_metadata(const struct ext2_fs *fs, uint32_t g, uint32_t block)
{
	const struct ext2_group *d = &fs->group[g];
	uint32_t first = group_first(fs, g);
	uint32_t table = fs->super.s_inodes_per_group / (fs->block_size / fs->inode_size);

	if (has_backup(fs, g) &&
	    block - first < 1 + ext2_gdt_blocks(fs) + fs->super.s_reserved_gdt_blocks)
		return true;
	return block == d->bg_block_bitmap || block == d->bg_inode_bitmap ||
	       (block >= d->bg_inode_table && block - d->bg_inode_table < table);
}

/* Writes group g's descriptor to its place (the primary copy). */
static kern_return_t group_write(struct ext2_fs *fs, uint32_t g)
{
	uint32_t per_block = fs->block_size / sizeof(struct ext2_group);
	uint32_t block = fs->super.s_first_data_block + 1 + g / per_block;
	uint8_t buf[EXT2_BLOCK_SIZE_MAX];
	kern_return_t kr = ext2_block_read(fs, block, buf);

	if (kr != KERN_SUCCESS)
		return kr;
	memcpy(buf + g % per_block * sizeof(struct ext2_group), &fs->group[g],
	       sizeof(struct ext2_group));
	return ext2_block_write(fs, block, buf);
}

/* The first clear bit of bitmap (bits long) from start on, wrapping;
 * bits if none.  A byte whose bits are all set is passed at once. */
static uint32_t clear_bit(const uint8_t *bitmap, uint32_t bits, uint32_t start)
{
	for (uint32_t i = 0; i < bits;) {
		uint32_t b = (start + i) % bits;
		if (b % 8 == 0 && bits - b >= 8 && bitmap[b / 8] == 0xff) {
			i += 8;
			continue;
		}
		if (!(bitmap[b / 8] & (1u << (b % 8))))
			return b;
		i++;
	}
	return bits;
}

/* Clears bit b of the bitmap at block, which must be set (what: a name
 * for the log).  Errors: FS_CORRUPT (it was clear), FS_IO_ERROR. */
static kern_return_t bit_release(struct ext2_fs *fs, uint32_t block, uint32_t b,
				 const char *what, uint32_t number)
{
	uint8_t bitmap[EXT2_BLOCK_SIZE_MAX];
	kern_return_t kr = ext2_block_read(fs, block, bitmap);

	if (kr != KERN_SUCCESS)
		return kr;
	if (!(bitmap[b / 8] & (1u << (b % 8)))) {
		ext2_complain("ext2fs: %s %u freed, but it is free already", what, number);
		return FS_CORRUPT;
	}
	bitmap[b / 8] &= (uint8_t)~(1u << (b % 8));
	return ext2_block_write(fs, block, bitmap);
}

static kern_return_t counts_disagree(uint32_t g, const char *what)
{
	ext2_complain("ext2fs: group %u: its %s bitmap and free counts disagree", g, what);
	return FS_CORRUPT;
}

/* A free block of group g, from bit start on, taken: in *block. */
static kern_return_t take_block(struct ext2_fs *fs, uint32_t g, uint32_t start, uint32_t *block)
{
	uint8_t bitmap[EXT2_BLOCK_SIZE_MAX];
	uint32_t bits = group_blocks(fs, g);
	kern_return_t kr = ext2_block_read(fs, fs->group[g].bg_block_bitmap, bitmap);

	if (kr != KERN_SUCCESS)
		return kr;
	uint32_t b = clear_bit(bitmap, bits, start < bits ? start : 0);
	if (b == bits || fs->super.s_free_blocks_count == 0)
		return counts_disagree(g, "block");
	if (is_metadata(fs, g, group_first(fs, g) + b)) {
		ext2_complain("ext2fs: group %u: block %u is metadata but free in the bitmap", g,
			      group_first(fs, g) + b);
		return FS_CORRUPT;
	}
	bitmap[b / 8] |= (uint8_t)(1u << (b % 8));
	if ((kr = ext2_block_write(fs, fs->group[g].bg_block_bitmap, bitmap)) != KERN_SUCCESS)
		return kr;
	fs->group[g].bg_free_blocks_count--;
	fs->super.s_free_blocks_count--;
	*block = group_first(fs, g) + b;
	return group_write(fs, g);
}

kern_return_t ext2_block_alloc(struct ext2_fs *fs, uint32_t goal, uint32_t *block)
{
	uint32_t goal_group = ext2_block_valid(fs, goal)
				      ? (goal - fs->super.s_first_data_block) /
						fs->super.s_blocks_per_group
				      : 0;

	if (fs->read_only)
		return FS_READ_ONLY;
	if (fs->keep_reserved && fs->super.s_free_blocks_count <= fs->super.s_r_blocks_count)
		return FS_NO_SPACE;
	for (uint32_t i = 0; i < fs->groups; i++) {
		uint32_t g = (goal_group + i) % fs->groups;
		if (fs->group[g].bg_free_blocks_count == 0)
			continue;
		return take_block(fs, g, i == 0 ? goal - group_first(fs, g) : 0, block);
	}
	return FS_NO_SPACE;
}

kern_return_t ext2_block_free(struct ext2_fs *fs, uint32_t block)
{
	if (!ext2_block_valid(fs, block))
		return FS_CORRUPT;
	uint32_t g = (block - fs->super.s_first_data_block) / fs->super.s_blocks_per_group;
	if (is_metadata(fs, g, block)) {
		ext2_complain("ext2fs: block %u is its group's metadata: not freed", block);
		return FS_CORRUPT;
	}
	if (fs->group[g].bg_free_blocks_count >= group_blocks(fs, g))
		return counts_disagree(g, "block");
	kern_return_t kr = bit_release(fs, fs->group[g].bg_block_bitmap,
				       block - group_first(fs, g), "block", block);
	if (kr != KERN_SUCCESS)
		return kr;
	fs->group[g].bg_free_blocks_count++;
	fs->super.s_free_blocks_count++;
	return group_write(fs, g);
}

/* The group a new inode goes to: a directory to the group with the most
 * free inodes (spreading the tree), anything else to near's group if it
 * has room. */
static uint32_t inode_group(const struct ext2_fs *fs, uint32_t near, bool dir)
{
	uint32_t best = (near - 1) / fs->super.s_inodes_per_group % fs->groups;

	if (!dir && fs->group[best].bg_free_inodes_count > 0)
		return best;
	for (uint32_t g = 0; g < fs->groups; g++)
		if (fs->group[g].bg_free_inodes_count > fs->group[best].bg_free_inodes_count)
			best = g;
	return best;
}

kern_return_t ext2_inode_alloc(struct ext2_fs *fs, uint32_t near, bool dir, uint32_t *ino)
{
	uint8_t bitmap[EXT2_BLOCK_SIZE_MAX];
	uint32_t g = inode_group(fs, near, dir);
	uint32_t bits = fs->super.s_inodes_per_group;

	if (fs->read_only)
		return FS_READ_ONLY;
	if (fs->group[g].bg_free_inodes_count == 0 || fs->super.s_free_inodes_count == 0)
		return FS_NO_SPACE;
	kern_return_t kr = ext2_block_read(fs, fs->group[g].bg_inode_bitmap, bitmap);
	if (kr != KERN_SUCCESS)
		return kr;
	uint32_t b = clear_bit(bitmap, bits, 0);
	if (b == bits)
		return counts_disagree(g, "inode");
	if (g * bits + b + 1 < fs->super.s_first_ino) {
		ext2_complain("ext2fs: reserved inode %u is free in the bitmap", g * bits + b + 1);
		return FS_CORRUPT;
	}
	bitmap[b / 8] |= (uint8_t)(1u << (b % 8));
	if ((kr = ext2_block_write(fs, fs->group[g].bg_inode_bitmap, bitmap)) != KERN_SUCCESS)
		return kr;
	fs->group[g].bg_free_inodes_count--;
	fs->group[g].bg_used_dirs_count += dir;
	fs->super.s_free_inodes_count--;
	*ino = g * bits + b + 1;
	return group_write(fs, g);
}

kern_return_t ext2_inode_free(struct ext2_fs *fs, uint32_t ino, bool dir)
{
	if (ino < fs->super.s_first_ino || ino > fs->super.s_inodes_count)
		return FS_CORRUPT;
	uint32_t g = (ino - 1) / fs->super.s_inodes_per_group;
	if (fs->group[g].bg_free_inodes_count >= fs->super.s_inodes_per_group ||
	    (dir && fs->group[g].bg_used_dirs_count == 0))
		return counts_disagree(g, "inode");
	kern_return_t kr = bit_release(fs, fs->group[g].bg_inode_bitmap,
				       (ino - 1) % fs->super.s_inodes_per_group, "inode", ino);
	if (kr != KERN_SUCCESS)
		return kr;
	fs->group[g].bg_free_inodes_count++;
	fs->group[g].bg_used_dirs_count -= dir;
	fs->super.s_free_inodes_count++;
	return group_write(fs, g);
}
