/*
 * Mounting: the superblock and the group descriptors, read and checked
 * once, so that the rest may rely on their numbers: the block size is 1,
 * 2 or 4 KiB, the groups cover the blocks, every group's bitmaps and
 * inode table lie inside the file system past the descriptors, and the
 * whole file system fits on the device.
 */
#include <kern/string.h>

#include "ext2fs.h"

/* The superblock's numbers make sense together, and fit the device. */
static kern_return_t check_super(const struct ext2_super *s, uint64_t device_size)
{
	if (s->s_magic != EXT2_SUPER_MAGIC) {
		ext2_complain("ext2fs: no ext2 superblock (magic 0x%x)", s->s_magic);
		return FS_CORRUPT;
	}
	if (s->s_rev_level != 1 || s->s_log_block_size > 2) {
		ext2_complain("ext2fs: revision %u, block size 1024 << %u: not supported",
			      s->s_rev_level, s->s_log_block_size);
		return KERN_NOT_SUPPORTED;
	}
	if (s->s_feature_incompat & ~EXT2_INCOMPAT_KNOWN) {
		ext2_complain("ext2fs: incompatible features 0x%x not supported",
			      s->s_feature_incompat & ~EXT2_INCOMPAT_KNOWN);
		return KERN_NOT_SUPPORTED;
	}
	uint32_t block_size = EXT2_BLOCK_SIZE_MIN << s->s_log_block_size;
	uint32_t bits = 8 * block_size;
	uint32_t inode_size = s->s_inode_size;
	const char *why = NULL;
	if (s->s_first_data_block != (block_size == 1024 ? 1u : 0u))
		why = "first data block";
	else if (s->s_blocks_per_group == 0 || s->s_blocks_per_group > bits ||
		 s->s_inodes_per_group == 0 || s->s_inodes_per_group > bits)
		why = "blocks or inodes per group";
	else if (inode_size < EXT2_GOOD_OLD_INODE_SIZE || inode_size > block_size ||
		 (inode_size & (inode_size - 1)) != 0 ||
		 s->s_inodes_per_group % (block_size / inode_size) != 0)
		why = "inode size";
	else if (s->s_blocks_count <= s->s_first_data_block ||
		 (uint64_t)s->s_blocks_count * block_size > device_size)
		why = "block count (larger than the device?)";
	else if (s->s_first_ino < EXT2_GOOD_OLD_FIRST_INO ||
		 s->s_first_ino >= s->s_inodes_count)
		why = "first inode";
	if (why != NULL) {
		ext2_complain("ext2fs: superblock: bad %s", why);
		return FS_CORRUPT;
	}
	return KERN_SUCCESS;
}

/* The group count the blocks make, and the inodes agree with it. */
static kern_return_t count_groups(struct ext2_fs *fs)
{
	const struct ext2_super *s = &fs->super;
	uint64_t groups = ((uint64_t)s->s_blocks_count - s->s_first_data_block +
			   s->s_blocks_per_group - 1) / s->s_blocks_per_group;

	if (groups == 0 || groups > EXT2FS_GROUPS_MAX ||
	    groups * s->s_inodes_per_group != s->s_inodes_count) {
		ext2_complain("ext2fs: superblock: %lu groups of %u inodes for %u inodes",
			      (unsigned long)groups, s->s_inodes_per_group, s->s_inodes_count);
		return FS_CORRUPT;
	}
	fs->groups = (uint32_t)groups;
	return KERN_SUCCESS;
}

/* Group g's bitmaps and inode table lie inside the file system, past the
 * descriptors (which follow the superblock). */
static kern_return_t check_group(const struct ext2_fs *fs, uint32_t g, uint32_t gdt_end)
{
	const struct ext2_group *d = &fs->group[g];
	uint32_t table_blocks = fs->super.s_inodes_per_group / (fs->block_size / fs->inode_size);
	uint32_t blocks = fs->super.s_blocks_count;

	if (d->bg_block_bitmap < gdt_end || d->bg_block_bitmap >= blocks ||
	    d->bg_inode_bitmap < gdt_end || d->bg_inode_bitmap >= blocks ||
	    d->bg_inode_table < gdt_end || d->bg_inode_table >= blocks ||
	    table_blocks > blocks - d->bg_inode_table) {
		ext2_complain("ext2fs: group %u: bitmaps or inode table outside the file system "
			      "(%u, %u, %u)", g, d->bg_block_bitmap, d->bg_inode_bitmap,
			      d->bg_inode_table);
		return FS_CORRUPT;
	}
	return KERN_SUCCESS;
}

/* The descriptors, in the blocks after the superblock's. */
static kern_return_t read_groups(struct ext2_fs *fs)
{
	uint32_t per_block = fs->block_size / sizeof(struct ext2_group);
	uint32_t first = fs->super.s_first_data_block + 1;
	uint32_t nblocks = (fs->groups + per_block - 1) / per_block;
	uint8_t buf[EXT2_BLOCK_SIZE_MAX];

	for (uint32_t b = 0; b < nblocks; b++) {
		kern_return_t kr = ext2_block_read(fs, first + b, buf);
		if (kr != KERN_SUCCESS)
			return kr;
		uint32_t n = fs->groups - b * per_block < per_block ? fs->groups - b * per_block
								     : per_block;
		memcpy(&fs->group[b * per_block], buf, n * sizeof(struct ext2_group));
	}
	for (uint32_t g = 0; g < fs->groups; g++) {
		kern_return_t kr = check_group(fs, g, first + nblocks);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	return KERN_SUCCESS;
}

kern_return_t ext2_mount(struct ext2_fs *fs, const struct ext2_dev *dev)
{
	memset(fs, 0, sizeof(*fs));
	fs->dev = *dev;
	if (dev->size < EXT2_SUPER_OFFSET + sizeof(fs->super)) {
		ext2_complain("ext2fs: the device (%lu bytes) is too small for ext2",
			      (unsigned long)dev->size);
		return FS_CORRUPT;
	}
	kern_return_t kr = dev->read(dev->cookie, EXT2_SUPER_OFFSET, &fs->super,
				     sizeof(fs->super));
	if (kr != KERN_SUCCESS)
		return FS_IO_ERROR;
	if ((kr = check_super(&fs->super, dev->size)) != KERN_SUCCESS ||
	    (kr = count_groups(fs)) != KERN_SUCCESS)
		return kr;
	fs->block_size = EXT2_BLOCK_SIZE_MIN << fs->super.s_log_block_size;
	fs->inode_size = fs->super.s_inode_size;
	fs->addrs_per_block = fs->block_size / 4;
	fs->read_only = (fs->super.s_feature_ro_compat & ~EXT2_RO_COMPAT_KNOWN) != 0;
	return read_groups(fs);
}

bool ext2_block_valid(const struct ext2_fs *fs, uint32_t block)
{
	return block > fs->super.s_first_data_block && block < fs->super.s_blocks_count;
}

kern_return_t ext2_block_read(const struct ext2_fs *fs, uint32_t block, void *buf)
{
	if (block >= fs->super.s_blocks_count) {
		ext2_complain("ext2fs: block %u is outside the file system", block);
		return FS_CORRUPT;
	}
	if (fs->dev.read(fs->dev.cookie, (uint64_t)block * fs->block_size, buf,
			 fs->block_size) != KERN_SUCCESS)
		return FS_IO_ERROR;
	return KERN_SUCCESS;
}

kern_return_t ext2_block_write(struct ext2_fs *fs, uint32_t block, const void *buf)
{
	if (fs->read_only)
		return FS_READ_ONLY;
	if (block >= fs->super.s_blocks_count) {
		ext2_complain("ext2fs: block %u is outside the file system", block);
		return FS_CORRUPT;
	}
	if (fs->dev.write(fs->dev.cookie, (uint64_t)block * fs->block_size, buf,
			  fs->block_size) != KERN_SUCCESS)
		return FS_IO_ERROR;
	return KERN_SUCCESS;
}

kern_return_t ext2_sync(struct ext2_fs *fs)
{
	if (fs->read_only)
		return KERN_SUCCESS;
	if (fs->dev.write(fs->dev.cookie, EXT2_SUPER_OFFSET, &fs->super, sizeof(fs->super)) !=
		    KERN_SUCCESS ||
	    fs->dev.flush(fs->dev.cookie) != KERN_SUCCESS)
		return FS_IO_ERROR;
	return KERN_SUCCESS;
}
