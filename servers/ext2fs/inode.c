/*
 * Inodes by number: inode ino (from 1) is entry (ino - 1) % per_group of
 * group (ino - 1) / per_group's inode table, s_inode_size bytes each, of
 * which the first 128 are struct ext2_inode.  A number out of range, a
 * free inode (no links) or an unknown type is the image's fault.
 */
#include <kern/string.h>

#include "ext2fs.h"

uint8_t ext2_file_type(uint16_t type)
{
	switch (type) {
	case EXT2_S_IFREG:
		return EXT2_FT_REG_FILE;
	case EXT2_S_IFDIR:
		return EXT2_FT_DIR;
	case EXT2_S_IFCHR:
		return EXT2_FT_CHRDEV;
	case EXT2_S_IFBLK:
		return EXT2_FT_BLKDEV;
	case EXT2_S_IFIFO:
		return EXT2_FT_FIFO;
	case EXT2_S_IFSOCK:
		return EXT2_FT_SOCK;
	case EXT2_S_IFLNK:
		return EXT2_FT_SYMLINK;
	default:
		return EXT2_FT_UNKNOWN;
	}
}

uint64_t ext2_node_size(const struct ext2_node *node)
{
	uint64_t size = node->inode.i_size;

	if (ext2_node_type(node) == EXT2_S_IFREG)
		size |= (uint64_t)node->inode.i_size_high << 32;
	return size;
}

/* Where inode ino is: the block of its table that holds it, and its
 * byte there.  Errors: FS_CORRUPT (ino out of range). */
static kern_return_t inode_place(const struct ext2_fs *fs, uint32_t ino, uint32_t *block,
				 uint32_t *at)
{
	if (ino == 0 || ino > fs->super.s_inodes_count) {
		ext2_complain("ext2fs: inode %u is out of range (1 to %u)", ino,
			      fs->super.s_inodes_count);
		return FS_CORRUPT;
	}
	uint32_t index = (ino - 1) % fs->super.s_inodes_per_group;
	uint32_t per_block = fs->block_size / fs->inode_size;

	*block = fs->group[(ino - 1) / fs->super.s_inodes_per_group].bg_inode_table +
		 index / per_block;
	*at = index % per_block * fs->inode_size;
	return KERN_SUCCESS;
}

kern_return_t ext2_inode_put(struct ext2_fs *fs, const struct ext2_node *node)
{
	uint8_t buf[EXT2_BLOCK_SIZE_MAX];
	uint32_t block, at;
	kern_return_t kr = inode_place(fs, node->ino, &block, &at);

	if (kr == KERN_SUCCESS)
		kr = ext2_block_read(fs, block, buf);
	if (kr != KERN_SUCCESS)
		return kr;
	memcpy(buf + at, &node->inode, sizeof(node->inode));
	return ext2_block_write(fs, block, buf);
}

kern_return_t ext2_inode_get(const struct ext2_fs *fs, uint32_t ino, struct ext2_node *node)
{
	kern_return_t kr = ext2_inode_read(fs, ino, node);

	if (kr == KERN_SUCCESS && node->inode.i_links_count == 0) {
		ext2_complain("ext2fs: inode %u is named but has no links", ino);
		return FS_CORRUPT;
	}
	return kr;
}

kern_return_t ext2_inode_read(const struct ext2_fs *fs, uint32_t ino, struct ext2_node *node)
{
	uint8_t buf[EXT2_BLOCK_SIZE_MAX];
	uint32_t block, at;
	kern_return_t kr = inode_place(fs, ino, &block, &at);

	if (kr == KERN_SUCCESS)
		kr = ext2_block_read(fs, block, buf);
	if (kr != KERN_SUCCESS)
		return kr;
	node->ino = ino;
	memcpy(&node->inode, buf + at, sizeof(node->inode));
	if (ext2_file_type(ext2_node_type(node)) == EXT2_FT_UNKNOWN) {
		ext2_complain("ext2fs: inode %u is of no known type (mode 0%o)", ino,
			      node->inode.i_mode);
		return FS_CORRUPT;
	}
	return KERN_SUCCESS;
}
