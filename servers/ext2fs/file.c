/*
 * A file's bytes, through its block map (bmap.c): holes read as zeros,
 * and nothing is read past the size the inode gives.  A symbolic link
 * keeps a target shorter than 60 bytes in i_block itself (a fast link)
 * and a longer one in its data block.
 */
#include <kern/string.h>

#include "ext2fs.h"

kern_return_t ext2_read(const struct ext2_fs *fs, const struct ext2_node *node,
			uint64_t offset, void *buf, size_t length, size_t *done)
{
	uint64_t size = ext2_node_size(node);
	uint8_t block[EXT2_BLOCK_SIZE_MAX];
	uint8_t *out = buf;

	*done = 0;
	if (offset >= size)
		return KERN_SUCCESS;
	if (length > size - offset)
		length = (size_t)(size - offset);
	while (*done < length) {
		uint64_t at = offset + *done;
		uint32_t within = (uint32_t)(at % fs->block_size), disk;
		size_t n = fs->block_size - within < length - *done ? fs->block_size - within
								   : length - *done;
		kern_return_t kr = ext2_bmap(fs, node, at / fs->block_size, &disk);
		if (kr == KERN_SUCCESS && disk != 0)
			kr = ext2_block_read(fs, disk, block);
		if (kr != KERN_SUCCESS)
			return kr;
		if (disk == 0)
			memset(out + *done, 0, n);
		else
			memcpy(out + *done, block + within, n);
		*done += n;
	}
	return KERN_SUCCESS;
}

/* One block's part of a write: n bytes from data at within of logical
 * block lblock. */
static kern_return_t write_block(struct ext2_fs *fs, struct ext2_node *node, uint64_t lblock,
				 uint32_t within, const uint8_t *data, size_t n)
{
	uint8_t block[EXT2_BLOCK_SIZE_MAX];
	uint32_t disk;
	bool fresh;
	kern_return_t kr = ext2_bmap_alloc(fs, node, lblock, &disk, &fresh);

	if (kr != KERN_SUCCESS)
		return kr;
	if (n == fs->block_size)
		return ext2_block_write(fs, disk, data);
	if (fresh)
		memset(block, 0, fs->block_size);
	else if ((kr = ext2_block_read(fs, disk, block)) != KERN_SUCCESS)
		return kr;
	memcpy(block + within, data, n);
	return ext2_block_write(fs, disk, block);
}

kern_return_t ext2_write(struct ext2_fs *fs, struct ext2_node *node, uint64_t offset,
			 const void *buf, size_t length, size_t *done)
{
	const uint8_t *in = buf;
	kern_return_t kr = KERN_SUCCESS;

	*done = 0;
	if (fs->read_only)
		return FS_READ_ONLY;
	if (offset > ext2_size_max(fs) || length > ext2_size_max(fs) - offset)
		return FS_TOO_LARGE;
	while (kr == KERN_SUCCESS && *done < length) {
		uint64_t at = offset + *done;
		uint32_t within = (uint32_t)(at % fs->block_size);
		size_t n = fs->block_size - within < length - *done ? fs->block_size - within
								   : length - *done;
		kr = write_block(fs, node, at / fs->block_size, within, in + *done, n);
		if (kr == KERN_SUCCESS)
			*done += n;
	}
	/* What was written stays written, even if the rest failed. */
	if (offset + *done > ext2_node_size(node))
		ext2_node_set_size(fs, node, offset + *done);
	kern_return_t put = ext2_inode_put(fs, node);
	return kr != KERN_SUCCESS ? kr : put;
}

/* Whether node's target is in i_block: no data block (the blocks it
 * counts are its extended attributes' block, if any). */
static bool fast_symlink(const struct ext2_fs *fs, const struct ext2_node *node)
{
	uint32_t attr_sectors = node->inode.i_file_acl != 0 ? fs->block_size / 512 : 0;

	return node->inode.i_blocks == attr_sectors;
}

kern_return_t ext2_readlink(const struct ext2_fs *fs, const struct ext2_node *node, char *buf,
			    size_t size)
{
	uint64_t length = ext2_node_size(node);
	size_t done = 0;

	if (ext2_node_type(node) != EXT2_S_IFLNK)
		return KERN_INVALID_ARGUMENT;
	if (length == 0 || length >= EXT2FS_PATH_MAX || length >= fs->block_size ||
	    (fast_symlink(fs, node) && length >= EXT2_FAST_SYMLINK_MAX)) {
		ext2_complain("ext2fs: inode %u: a symbolic link of %lu bytes", node->ino,
			      (unsigned long)length);
		return FS_CORRUPT;
	}
	if (length >= size)
		return FS_NAME_TOO_LONG;
	if (fast_symlink(fs, node)) {
		memcpy(buf, node->inode.i_block, (size_t)length);
	} else {
		kern_return_t kr = ext2_read(fs, node, 0, buf, (size_t)length, &done);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	buf[length] = '\0';
	if (strlen(buf) != length) {
		ext2_complain("ext2fs: inode %u: a NUL inside a symbolic link", node->ino);
		return FS_CORRUPT;
	}
	return KERN_SUCCESS;
}
