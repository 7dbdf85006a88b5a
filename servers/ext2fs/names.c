/*
 * Changing the names in directories (fs.defs: mkdir, unlink, rmdir,
 * link, symlink, readlink, rename).  Each needs write and search
 * permission on the directories it changes; in a sticky directory (mode
 * 01000, as /tmp) only the owner of an entry, of the directory, or uid 0
 * may remove or rename the entry.  A file whose last name goes lives on
 * while it is open (opens.c).  A port of this server that comes in a
 * request besides its target (link's file, rename's to_dir) is a send
 * right the server owns once it succeeds.
 */
#include "server.h"

#define STICKY 01000u

/* The directory open as port, which cred may change: *dir, *cred. */
static kern_return_t changeable(mach_port_t port, struct ext2_node *dir, struct cred *cred)
{
	struct open *o = open_lookup(port);
	kern_return_t kr = o != NULL ? open_node(o, dir) : KERN_INVALID_ARGUMENT;

	if (kr != KERN_SUCCESS)
		return kr;
	*cred = o->cred;
	if (ext2_node_type(dir) != EXT2_S_IFDIR)
		return FS_NOT_DIRECTORY;
	if (ext2fs.read_only)
		return FS_READ_ONLY;
	return may(dir, *cred, 3) ? KERN_SUCCESS : FS_ACCESS_DENIED;
}

static uint32_t owner(const struct ext2_node *node)
{
	return node->inode.i_uid | (uint32_t)node->inode.i_uid_high << 16;
}

/* Whether cred may remove name from dir: the sticky bit's rule. */
static kern_return_t may_remove(const struct ext2_node *dir, const char *name, struct cred cred)
{
	struct ext2_node node;
	uint32_t ino;

	if (!(dir->inode.i_mode & STICKY) || cred.uid == 0 || cred.uid == owner(dir))
		return KERN_SUCCESS;
	kern_return_t kr = ext2_lookup(&ext2fs, dir, name, strlen(name), &ino);
	if (kr == KERN_SUCCESS)
		kr = ext2_inode_get(&ext2fs, ino, &node);
	if (kr != KERN_SUCCESS)
		return kr;
	return owner(&node) == cred.uid ? KERN_SUCCESS : FS_ACCESS_DENIED;
}

/* A new inode of mode in the directory open as port. */
static kern_return_t make(mach_port_t port, const char *name, uint16_t mode, const char *target)
{
	struct ext2_node dir, node;
	struct cred cred;
	kern_return_t kr = changeable(port, &dir, &cred);

	if (kr != KERN_SUCCESS)
		return kr;
	struct ext2_new how = { .mode = mode, .uid = cred.uid, .gid = cred.gid,
				.now = server_now(), .target = target };
	return ext2_create(&ext2fs, &dir, name, strlen(name), &how, &node);
}

kern_return_t fs_S_mkdir(mach_port_t dir, fs_name_t name, uint32_t mode)
{
	return make(dir, name, (uint16_t)(EXT2_S_IFDIR | (mode & 07777)), NULL);
}

kern_return_t fs_S_symlink(mach_port_t dir, fs_name_t name, fs_path_t target)
{
	return make(dir, name, EXT2_S_IFLNK | 0777, target);
}

static kern_return_t remove_name(mach_port_t port, const char *name, bool rmdir)
{
	struct ext2_node dir, node;
	struct cred cred;
	kern_return_t kr = changeable(port, &dir, &cred);

	if (kr == KERN_SUCCESS)
		kr = may_remove(&dir, name, cred);
	if (kr == KERN_SUCCESS)
		kr = ext2_unlink(&ext2fs, &dir, name, strlen(name), rmdir, server_now(), &node);
	return kr == KERN_SUCCESS ? release_if_unused(&node) : kr;
}

kern_return_t fs_S_unlink(mach_port_t dir, fs_name_t name)
{
	return remove_name(dir, name, false);
}

kern_return_t fs_S_rmdir(mach_port_t dir, fs_name_t name)
{
	return remove_name(dir, name, true);
}

kern_return_t fs_S_link(mach_port_t dir, fs_name_t name, mach_port_t file)
{
	struct ext2_node d, node;
	struct cred cred;
	struct open *f = open_lookup(file);
	kern_return_t kr = changeable(dir, &d, &cred);

	if (kr == KERN_SUCCESS)
		kr = f != NULL ? open_node(f, &node) : KERN_INVALID_ARGUMENT;
	if (kr == KERN_SUCCESS && node.inode.i_links_count == 0)
		kr = FS_NOT_FOUND;   /* unlinked while open: it may not come back */
	if (kr == KERN_SUCCESS)
		kr = ext2_link(&ext2fs, &d, name, strlen(name), &node, server_now());
	if (kr == KERN_SUCCESS)
		mach_port_deallocate(mach_task_self(), file);
	return kr;
}

kern_return_t fs_S_readlink(mach_port_t dir, fs_path_t path, fs_path_t target)
{
	struct open *o = open_lookup(dir);
	struct ext2_node node;
	kern_return_t kr = o != NULL ? walk_as(o->ino, path, false, o->cred, &node)
				     : KERN_INVALID_ARGUMENT;

	target[0] = '\0';
	if (kr == KERN_SUCCESS && path[0] == '\0')
		kr = FS_NOT_FOUND;
	return kr == KERN_SUCCESS ? ext2_readlink(&ext2fs, &node, target, FS_PATH_MAX) : kr;
}

kern_return_t fs_S_rename(mach_port_t from_dir, fs_name_t from, mach_port_t to_dir,
			  fs_name_t to)
{
	struct ext2_node a, b, replaced;
	struct cred cred, to_cred;
	kern_return_t kr = changeable(from_dir, &a, &cred);

	if (kr == KERN_SUCCESS)
		kr = changeable(to_dir, &b, &to_cred);
	if (kr == KERN_SUCCESS && (to_cred.uid != cred.uid || to_cred.gid != cred.gid))
		kr = FS_ACCESS_DENIED;   /* one caller, one set of credentials */
	if (kr == KERN_SUCCESS)
		kr = may_remove(&a, from, cred);
	if (kr == KERN_SUCCESS)
		kr = may_remove(&b, to, cred) == FS_ACCESS_DENIED ? FS_ACCESS_DENIED : KERN_SUCCESS;
	if (kr == KERN_SUCCESS)
		kr = ext2_rename(&ext2fs, &a, from, strlen(from), &b, to, strlen(to), server_now(),
				 &replaced);
	if (kr == KERN_SUCCESS && replaced.ino != 0)
		kr = release_if_unused(&replaced);
	if (kr == KERN_SUCCESS)
		mach_port_deallocate(mach_task_self(), to_dir);
	return kr;
}
