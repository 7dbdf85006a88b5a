/*
 * The operations that change the tree: making, linking, unlinking and
 * renaming files, and deleting an inode nothing names any more.  Each
 * keeps ext2's invariants: a directory's links are 2 and one for each
 * subdirectory (whose ".." names it); a regular file's links are the
 * entries that name it; the bitmaps and free counts follow every inode
 * and block (alloc.c).  Where an operation writes more than one thing it
 * writes the new name before it removes the old, so that a crash between
 * leaves a file with one link too many (which e2fsck mends), never one
 * with none.
 *
 * Times are the caller's (the server's clock).  Freeing an unlinked
 * inode is ext2_delete's, which the server calls once no one has the
 * file open.
 */
#include <kern/string.h>

#include "ext2fs.h"

static bool dot_or_dotdot(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
}

/* The new inode's first block, for a directory: "." and "..". */
static kern_return_t first_dir_block(struct ext2_fs *fs, struct ext2_node *node, uint32_t parent)
{
	uint8_t block[EXT2_BLOCK_SIZE_MAX];
	struct ext2_dirent *dot = (void *)block, *dotdot = (void *)(block + 12);
	uint32_t disk;
	bool fresh;
	kern_return_t kr = ext2_bmap_alloc(fs, node, 0, &disk, &fresh);

	if (kr != KERN_SUCCESS)
		return kr;
	memset(block, 0, fs->block_size);
	*dot = (struct ext2_dirent){ .inode = node->ino, .rec_len = 12, .name_len = 1,
				     .file_type = EXT2_FT_DIR };
	dot->name[0] = '.';
	*dotdot = (struct ext2_dirent){ .inode = parent, .rec_len = (uint16_t)(fs->block_size - 12),
					.name_len = 2, .file_type = EXT2_FT_DIR };
	memcpy(dotdot->name, "..", 2);
	ext2_node_set_size(fs, node, fs->block_size);
	return ext2_block_write(fs, disk, block);
}

/* The new inode's contents: a directory's first block, or a link's target
 * (in i_block if short enough, else in a block). */
static kern_return_t fill(struct ext2_fs *fs, struct ext2_node *node, uint32_t parent,
			  const char *target)
{
	size_t n, done;

	switch (ext2_node_type(node)) {
	case EXT2_S_IFDIR:
		node->inode.i_links_count = 2;
		return first_dir_block(fs, node, parent);
	case EXT2_S_IFLNK:
		n = strnlen(target, EXT2FS_PATH_MAX);
		if (n == 0 || n >= EXT2FS_PATH_MAX || n >= fs->block_size)
			return n == 0 ? KERN_INVALID_ARGUMENT : FS_NAME_TOO_LONG;
		if (n < EXT2_FAST_SYMLINK_MAX) {
			memcpy(node->inode.i_block, target, n);
			ext2_node_set_size(fs, node, n);
			return KERN_SUCCESS;
		}
		return ext2_write(fs, node, 0, target, n, &done);
	default:
		return KERN_SUCCESS;
	}
}

kern_return_t ext2_create(struct ext2_fs *fs, struct ext2_node *dir, const char *name,
			  size_t len, const struct ext2_new *how, struct ext2_node *node)
{
	uint16_t type = how->mode & EXT2_S_IFMT;
	bool is_dir = type == EXT2_S_IFDIR;
	uint32_t existing;

	if (ext2_file_type(type) == EXT2_FT_UNKNOWN)
		return KERN_INVALID_ARGUMENT;
	if (ext2_node_type(dir) != EXT2_S_IFDIR)
		return FS_NOT_DIRECTORY;
	kern_return_t kr = ext2_name_check(name, len);
	if (kr != KERN_SUCCESS)
		return kr;
	if (is_dir && dir->inode.i_links_count >= EXT2_LINK_MAX)
		return FS_TOO_MANY_LINKS;
	kr = ext2_lookup(fs, dir, name, len, &existing);
	if (kr != FS_NOT_FOUND)
		return kr == KERN_SUCCESS ? FS_EXISTS : kr;
	if ((kr = ext2_inode_alloc(fs, dir->ino, is_dir, &node->ino)) != KERN_SUCCESS)
		return kr;
	node->inode = (struct ext2_inode){
		.i_mode = how->mode, .i_links_count = 1,
		.i_uid = (uint16_t)how->uid, .i_uid_high = (uint16_t)(how->uid >> 16),
		.i_gid = (uint16_t)how->gid, .i_gid_high = (uint16_t)(how->gid >> 16),
		.i_atime = how->now, .i_ctime = how->now, .i_mtime = how->now,
	};
	if ((kr = fill(fs, node, dir->ino, how->target)) != KERN_SUCCESS ||
	    (kr = ext2_inode_put(fs, node)) != KERN_SUCCESS ||
	    (kr = ext2_dir_add(fs, dir, name, len, node->ino, ext2_file_type(type))) !=
		    KERN_SUCCESS) {
		node->inode.i_links_count = 0;
		ext2_delete(fs, node, how->now);
		return kr;
	}
	dir->inode.i_links_count += is_dir;
	dir->inode.i_mtime = dir->inode.i_ctime = how->now;
	return ext2_inode_put(fs, dir);
}

kern_return_t ext2_link(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
			struct ext2_node *node, uint32_t now)
{
	if (ext2_node_type(node) == EXT2_S_IFDIR)
		return FS_IS_DIRECTORY;
	if (node->inode.i_links_count >= EXT2_LINK_MAX)
		return FS_TOO_MANY_LINKS;
	kern_return_t kr = ext2_dir_add(fs, dir, name, len, node->ino,
					ext2_file_type(ext2_node_type(node)));
	if (kr != KERN_SUCCESS)
		return kr;
	node->inode.i_links_count++;
	node->inode.i_ctime = now;
	dir->inode.i_mtime = dir->inode.i_ctime = now;
	if ((kr = ext2_inode_put(fs, node)) != KERN_SUCCESS)
		return kr;
	return ext2_inode_put(fs, dir);
}

/* Whether the inode named name in dir may go as asked: a directory only
 * by rmdir, and only empty; anything else only by unlink. */
static kern_return_t may_unlink(const struct ext2_fs *fs, const struct ext2_node *node,
				bool rmdir)
{
	bool empty;

	if (!rmdir)
		return ext2_node_type(node) == EXT2_S_IFDIR ? FS_IS_DIRECTORY : KERN_SUCCESS;
	if (ext2_node_type(node) != EXT2_S_IFDIR)
		return FS_NOT_DIRECTORY;
	kern_return_t kr = ext2_dir_empty(fs, node, &empty);
	return kr != KERN_SUCCESS ? kr : empty ? KERN_SUCCESS : FS_NOT_EMPTY;
}

/* node lost the entry that named it from dir: its links, and dir's for a
 * directory's "..". */
static void unlinked(struct ext2_node *dir, struct ext2_node *node, uint32_t now)
{
	if (ext2_node_type(node) == EXT2_S_IFDIR) {
		node->inode.i_links_count = 0;   /* its entry and its own "." */
		if (dir->inode.i_links_count > 2)
			dir->inode.i_links_count--;
	} else if (node->inode.i_links_count > 0) {
		node->inode.i_links_count--;
	}
	node->inode.i_ctime = now;
	dir->inode.i_mtime = dir->inode.i_ctime = now;
}

kern_return_t ext2_unlink(struct ext2_fs *fs, struct ext2_node *dir, const char *name,
			  size_t len, bool rmdir, uint32_t now, struct ext2_node *node)
{
	uint32_t ino;

	if (dot_or_dotdot(name, len))
		return FS_INVALID_MOVE;
	kern_return_t kr = ext2_lookup(fs, dir, name, len, &ino);
	if (kr == KERN_SUCCESS)
		kr = ext2_inode_get(fs, ino, node);
	if (kr != KERN_SUCCESS || (kr = may_unlink(fs, node, rmdir)) != KERN_SUCCESS ||
	    (kr = ext2_dir_remove(fs, dir, name, len, &ino)) != KERN_SUCCESS)
		return kr;
	unlinked(dir, node, now);
	if ((kr = ext2_inode_put(fs, node)) != KERN_SUCCESS)
		return kr;
	return ext2_inode_put(fs, dir);
}

kern_return_t ext2_delete(struct ext2_fs *fs, struct ext2_node *node, uint32_t now)
{
	bool dir = ext2_node_type(node) == EXT2_S_IFDIR;
	kern_return_t kr = KERN_SUCCESS;

	if (node->inode.i_links_count != 0)
		return KERN_INVALID_ARGUMENT;
	/* A fast link's i_block is its target, not a map. */
	if (ext2_node_type(node) != EXT2_S_IFLNK || node->inode.i_blocks != 0)
		kr = ext2_truncate(fs, node, 0);
	if (kr != KERN_SUCCESS)
		return kr;
	node->inode.i_dtime = now;
	node->inode.i_size = 0;
	if ((kr = ext2_inode_put(fs, node)) != KERN_SUCCESS)
		return kr;
	return ext2_inode_free(fs, node->ino, dir);
}
