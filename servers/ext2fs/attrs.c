/*
 * A file's attributes and its way to the disk (fs.defs: truncate,
 * chmod, chown, utimes, fsync, sync).  The mode, owner and times are the
 * owner's to change (uid 0's too); only uid 0 gives a file away, and an
 * owner may only move it to its own group.  fsync and sync both write
 * everything the cache holds and flush the disk: one file system, one
 * cache, and ext2's metadata is shared by every file.  Before that, the
 * kernel gives back the pages written through mappings: of the file for
 * fsync, of every file for sync.
 */
#include "server.h"

/* The inode of the open file port, in *node, and the open in *o. */
static kern_return_t opened(mach_port_t port, struct open **o, struct ext2_node *node)
{
	*o = open_lookup(port);
	return *o != NULL ? open_node(*o, node) : KERN_INVALID_ARGUMENT;
}

static bool owns(const struct ext2_node *node, struct cred cred)
{
	return cred.uid == 0 ||
	       cred.uid == (node->inode.i_uid | (uint32_t)node->inode.i_uid_high << 16);
}

/* The inode of the open file port, if the open's credentials own it. */
static kern_return_t owned(mach_port_t port, struct ext2_node *node)
{
	struct open *o;
	kern_return_t kr = opened(port, &o, node);

	return kr != KERN_SUCCESS ? kr : owns(node, o->cred) ? KERN_SUCCESS : FS_ACCESS_DENIED;
}

/* node, changed, written back, its change time now. */
static kern_return_t changed(struct ext2_node *node)
{
	node->inode.i_ctime = server_now();
	return ext2_inode_put(&ext2fs, node);
}

kern_return_t fs_S_truncate(mach_port_t file, uint64_t size)
{
	struct open *o;
	struct ext2_node node;
	kern_return_t kr = opened(file, &o, &node);

	if (kr != KERN_SUCCESS)
		return kr;
	if (!(o->flags & FS_OPEN_WRITE))
		return FS_ACCESS_DENIED;
	if (ext2_node_type(&node) != EXT2_S_IFREG)
		return ext2_node_type(&node) == EXT2_S_IFDIR ? FS_IS_DIRECTORY : KERN_INVALID_ARGUMENT;
	return file_truncate(&node, size);
}

kern_return_t fs_S_chmod(mach_port_t file, uint32_t mode)
{
	struct ext2_node node;
	kern_return_t kr = owned(file, &node);

	if (kr != KERN_SUCCESS)
		return kr;
	node.inode.i_mode = (uint16_t)((node.inode.i_mode & EXT2_S_IFMT) | (mode & 07777));
	return changed(&node);
}

kern_return_t fs_S_chown(mach_port_t file, uint32_t uid, uint32_t gid)
{
	struct open *o;
	struct ext2_node node;
	kern_return_t kr = opened(file, &o, &node);

	if (kr != KERN_SUCCESS)
		return kr;
	uint32_t now_uid = node.inode.i_uid | (uint32_t)node.inode.i_uid_high << 16;
	if (o->cred.uid != 0 && (uid != now_uid || o->cred.uid != now_uid || gid != o->cred.gid))
		return FS_ACCESS_DENIED;
	node.inode.i_uid = (uint16_t)uid;
	node.inode.i_uid_high = (uint16_t)(uid >> 16);
	node.inode.i_gid = (uint16_t)gid;
	node.inode.i_gid_high = (uint16_t)(gid >> 16);
	return changed(&node);
}

kern_return_t fs_S_utimes(mach_port_t file, uint64_t atime, uint64_t mtime)
{
	struct ext2_node node;
	kern_return_t kr = owned(file, &node);

	if (kr != KERN_SUCCESS)
		return kr;
	if (atime > UINT32_MAX || mtime > UINT32_MAX)
		return KERN_INVALID_VALUE;
	node.inode.i_atime = (uint32_t)atime;
	node.inode.i_mtime = (uint32_t)mtime;
	return changed(&node);
}

kern_return_t fs_S_fsync(mach_port_t file)
{
	const struct open *o = open_lookup(file);
	kern_return_t kr = o != NULL ? map_settle(o->ino, 0, ~(uint64_t)0, false)
				     : KERN_INVALID_ARGUMENT;

	return kr == KERN_SUCCESS ? ext2_sync(&ext2fs) : kr;
}

kern_return_t fs_S_statfs(mach_port_t file, fs_statfs_t *st)
{
	const struct ext2_super *sb = &ext2fs.super;

	if (open_lookup(file) == NULL)
		return KERN_INVALID_ARGUMENT;
	uint32_t free_blocks = sb->s_free_blocks_count;
	*st = (fs_statfs_t){
		.block_size = ext2fs.block_size,
		.blocks = sb->s_blocks_count,
		.blocks_free = free_blocks,
		.blocks_available = free_blocks > sb->s_r_blocks_count
					    ? free_blocks - sb->s_r_blocks_count : 0,
		.files = sb->s_inodes_count,
		.files_free = sb->s_free_inodes_count,
	};
	return KERN_SUCCESS;
}

kern_return_t fs_S_sync(mach_port_t file)
{
	if (open_lookup(file) == NULL)
		return KERN_INVALID_ARGUMENT;
	kern_return_t kr = map_settle_all();
	return kr == KERN_SUCCESS ? ext2_sync(&ext2fs) : kr;
}
