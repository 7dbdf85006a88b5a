/*
 * A path to an inode: its names looked up one directory at a time, from
 * the root for an absolute path.  A symbolic link met on the way (or at
 * the end, if asked) is replaced by its target and the walk goes on from
 * the link's directory, or from the root for an absolute target; at most
 * EXT2FS_SYMLINKS_MAX of them, so that a loop of links ends in FS_LOOP.
 * A loop of directories cannot trap the walk: each name moves it on in
 * the path, which only links lengthen.
 */
#include <kern/string.h>

#include "ext2fs.h"

/* What is left of the path to walk: buf[at ..], NUL-terminated. */
struct walk {
	char buf[EXT2FS_PATH_MAX];
	size_t at;
	unsigned links;
};

/* The walk goes on with link's target in front of what is left of it. */
static kern_return_t splice(const struct ext2_fs *fs, struct walk *w, const struct ext2_node *link)
{
	char target[EXT2FS_PATH_MAX];
	kern_return_t kr = ext2_readlink(fs, link, target, sizeof(target));
	size_t t = strlen(target), rest = strlen(w->buf + w->at);

	if (kr != KERN_SUCCESS)
		return kr;
	if (++w->links > EXT2FS_SYMLINKS_MAX)
		return FS_LOOP;
	if (t + 1 + rest >= sizeof(w->buf))
		return FS_NAME_TOO_LONG;
	memmove(w->buf + t + 1, w->buf + w->at, rest + 1);
	memcpy(w->buf, target, t);
	w->buf[t] = '/';
	w->at = 0;
	return KERN_SUCCESS;
}

/* The next name of the walk, its start in *name and length in *len (0
 * at the end); *more: a slash follows it. */
static void next_name(struct walk *w, const char **name, size_t *len, bool *more)
{
	while (w->buf[w->at] == '/')
		w->at++;
	*name = w->buf + w->at;
	while (w->buf[w->at] != '\0' && w->buf[w->at] != '/')
		w->at++;
	*len = (size_t)(w->buf + w->at - *name);
	*more = w->buf[w->at] == '/';
}

/* One step: dir's entry name, in *node; a link spliced in instead if it
 * is to be followed (*node stays dir). */
static kern_return_t step(const struct ext2_fs *fs, struct walk *w, const char *name, size_t len,
			  bool follow, const struct ext2_search *search, struct ext2_node *node)
{
	struct ext2_node child;
	uint32_t ino;
	kern_return_t kr = search != NULL ? search->may(node, search->arg) : KERN_SUCCESS;

	if (kr == KERN_SUCCESS)
		kr = ext2_lookup(fs, node, name, len, &ino);

	if (kr == KERN_SUCCESS)
		kr = ext2_inode_get(fs, ino, &child);
	if (kr != KERN_SUCCESS)
		return kr;
	if (ext2_node_type(&child) != EXT2_S_IFLNK || !follow) {
		*node = child;
		return KERN_SUCCESS;
	}
	kr = splice(fs, w, &child);
	if (kr == KERN_SUCCESS && w->buf[0] == '/')
		kr = ext2_inode_get(fs, EXT2_ROOT_INO, node);
	return kr;
}

kern_return_t ext2_namei(const struct ext2_fs *fs, uint32_t at, const char *path, bool follow,
			 struct ext2_node *node)
{
	return ext2_namei_as(fs, at, path, follow, NULL, node);
}

kern_return_t ext2_namei_as(const struct ext2_fs *fs, uint32_t at, const char *path, bool follow,
			    const struct ext2_search *search, struct ext2_node *node)
{
	static struct walk w;   /* one walk at a time: the server is single-threaded */
	size_t n = strnlen(path, EXT2FS_PATH_MAX);

	if (n == 0)
		return KERN_INVALID_ARGUMENT;
	if (n >= EXT2FS_PATH_MAX)
		return FS_NAME_TOO_LONG;
	memcpy(w.buf, path, n + 1);
	w.at = 0;
	w.links = 0;
	kern_return_t kr = ext2_inode_get(fs, path[0] == '/' ? EXT2_ROOT_INO : at, node);
	bool slash = path[n - 1] == '/';
	for (;;) {
		const char *name;
		size_t len;
		bool more;
		if (kr != KERN_SUCCESS)
			return kr;
		next_name(&w, &name, &len, &more);
		if (len == 0)
			break;
		if (ext2_node_type(node) != EXT2_S_IFDIR)
			return FS_NOT_DIRECTORY;
		kr = step(fs, &w, name, len, more || follow, search, node);
	}
	return slash && ext2_node_type(node) != EXT2_S_IFDIR ? FS_NOT_DIRECTORY : KERN_SUCCESS;
}
