/*
 * Rename: the entry from of from_dir becomes the entry to of to_dir,
 * replacing what to named (an empty directory by a directory, anything
 * else but a directory by anything else but a directory).  A directory
 * may not move under itself: to_dir's ancestors, found through "..", must
 * not include it.  The new name is written before the old one goes; a
 * directory that changes parent has its ".." pointed at the new one and
 * the two parents' links moved.
 */
#include <kern/string.h>

#include "ext2fs.h"

/* Whether moving dir under to would put it under itself: dir is to, or
 * one of to's ancestors.  The climb is bounded, so a loop of ".." in a
 * bad image ends in FS_CORRUPT. */
static kern_return_t under_itself(const struct ext2_fs *fs, uint32_t dir, uint32_t to,
				  bool *under)
{
	struct ext2_node node;

	*under = false;
	for (uint32_t steps = 0; steps <= fs->super.s_inodes_count; steps++) {
		if (to == dir) {
			*under = true;
			return KERN_SUCCESS;
		}
		if (to == EXT2_ROOT_INO)
			return KERN_SUCCESS;
		kern_return_t kr = ext2_inode_get(fs, to, &node);
		if (kr == KERN_SUCCESS)
			kr = ext2_lookup(fs, &node, "..", 2, &to);
		if (kr != KERN_SUCCESS)
			return kr;
	}
	ext2_complain("ext2fs: the parents of directory %u loop", to);
	return FS_CORRUPT;
}

/* Whether src may replace dst (same kinds, dst empty if a directory). */
static kern_return_t may_replace(const struct ext2_fs *fs, const struct ext2_node *src,
				 const struct ext2_node *dst)
{
	bool empty, src_dir = ext2_node_type(src) == EXT2_S_IFDIR;

	if (ext2_node_type(dst) != EXT2_S_IFDIR)
		return src_dir ? FS_NOT_DIRECTORY : KERN_SUCCESS;
	if (!src_dir)
		return FS_IS_DIRECTORY;
	kern_return_t kr = ext2_dir_empty(fs, dst, &empty);
	return kr != KERN_SUCCESS ? kr : empty ? KERN_SUCCESS : FS_NOT_EMPTY;
}

/* to in to_dir names src now: in place of dst (replaced->ino != 0, its
 * links dropped) or as a new entry. */
static kern_return_t name_anew(struct ext2_fs *fs, struct ext2_node *to_dir, const char *to,
			       size_t to_len, const struct ext2_node *src,
			       struct ext2_node *replaced, uint32_t now)
{
	uint8_t type = ext2_file_type(ext2_node_type(src));
	kern_return_t kr;

	if (replaced->ino == 0)
		return ext2_dir_add(fs, to_dir, to, to_len, src->ino, type);
	if ((kr = ext2_dir_set(fs, to_dir, to, to_len, src->ino, type)) != KERN_SUCCESS)
		return kr;
	if (ext2_node_type(replaced) == EXT2_S_IFDIR) {
		replaced->inode.i_links_count = 0;
		to_dir->inode.i_links_count--;   /* its ".." is gone */
	} else {
		replaced->inode.i_links_count--;
	}
	replaced->inode.i_ctime = now;
	return ext2_inode_put(fs, replaced);
}

/* What to names now, if anything, in *replaced (ino 0 if nothing), and
 * whether src may replace it. */
static kern_return_t find_replaced(const struct ext2_fs *fs, const struct ext2_node *to_dir,
				   const char *to, size_t to_len, const struct ext2_node *src,
				   struct ext2_node *replaced)
{
	uint32_t ino;
	kern_return_t kr = ext2_lookup(fs, to_dir, to, to_len, &ino);

	replaced->ino = 0;
	if (kr == FS_NOT_FOUND)
		return KERN_SUCCESS;
	if (kr == KERN_SUCCESS)
		kr = ext2_inode_get(fs, ino, replaced);
	return kr != KERN_SUCCESS ? kr : may_replace(fs, src, replaced);
}

/* The checks before anything is written: names, kinds, the climb. */
static kern_return_t rename_check(const struct ext2_fs *fs, const struct ext2_node *from_dir,
				  const char *from, size_t from_len,
				  const struct ext2_node *to_dir, const char *to, size_t to_len,
				  struct ext2_node *src)
{
	uint32_t ino;
	bool under;

	if ((from_len == 1 && from[0] == '.') || (from_len == 2 && memcmp(from, "..", 2) == 0) ||
	    (to_len == 1 && to[0] == '.') || (to_len == 2 && memcmp(to, "..", 2) == 0))
		return FS_INVALID_MOVE;
	if (ext2_node_type(to_dir) != EXT2_S_IFDIR)
		return FS_NOT_DIRECTORY;
	kern_return_t kr = ext2_lookup(fs, from_dir, from, from_len, &ino);
	if (kr == KERN_SUCCESS)
		kr = ext2_inode_get(fs, ino, src);
	if (kr == KERN_SUCCESS && src->ino == from_dir->ino) {
		ext2_complain("ext2fs: directory %u names itself %.*s", from_dir->ino,
			      (int)from_len, from);
		return FS_CORRUPT;
	}
	if (kr != KERN_SUCCESS || ext2_node_type(src) != EXT2_S_IFDIR ||
	    from_dir->ino == to_dir->ino)
		return kr;
	if ((kr = under_itself(fs, src->ino, to_dir->ino, &under)) != KERN_SUCCESS)
		return kr;
	if (under)
		return FS_INVALID_MOVE;
	return to_dir->inode.i_links_count >= EXT2_LINK_MAX ? FS_TOO_MANY_LINKS : KERN_SUCCESS;
}

kern_return_t ext2_rename(struct ext2_fs *fs, struct ext2_node *from_dir, const char *from,
			  size_t from_len, struct ext2_node *to_dir, const char *to,
			  size_t to_len, uint32_t now, struct ext2_node *replaced)
{
	struct ext2_node src;

	if (from_dir->ino == to_dir->ino)
		to_dir = from_dir;   /* one directory, one copy of its inode */
	replaced->ino = 0;
	kern_return_t kr = rename_check(fs, from_dir, from, from_len, to_dir, to, to_len, &src);
	if (kr == KERN_SUCCESS)
		kr = find_replaced(fs, to_dir, to, to_len, &src, replaced);
	if (kr != KERN_SUCCESS || replaced->ino == src.ino) {
		replaced->ino = 0;   /* the same file: nothing to do */
		return kr;
	}
	uint32_t ino;
	bool moves_dir = ext2_node_type(&src) == EXT2_S_IFDIR && from_dir != to_dir;
	if ((kr = name_anew(fs, to_dir, to, to_len, &src, replaced, now)) != KERN_SUCCESS ||
	    (kr = ext2_dir_remove(fs, from_dir, from, from_len, &ino)) != KERN_SUCCESS)
		return kr;
	if (moves_dir) {
		if ((kr = ext2_dir_set(fs, &src, "..", 2, to_dir->ino, EXT2_FT_DIR)) !=
		    KERN_SUCCESS)
			return kr;
		from_dir->inode.i_links_count--;
		to_dir->inode.i_links_count++;
	}
	src.inode.i_ctime = now;
	from_dir->inode.i_mtime = from_dir->inode.i_ctime = now;
	to_dir->inode.i_mtime = to_dir->inode.i_ctime = now;
	if ((kr = ext2_inode_put(fs, &src)) != KERN_SUCCESS ||
	    (kr = ext2_inode_put(fs, from_dir)) != KERN_SUCCESS)
		return kr;
	return to_dir == from_dir ? KERN_SUCCESS : ext2_inode_put(fs, to_dir);
}
