/*
 * A directory's entries: its bytes (file.c's blocks, through bmap.c) are
 * blocks tiled exactly by entries (ext2.h: struct ext2_dirent), each at
 * least 8 bytes and a multiple of 4, none across a block's end; an entry
 * of inode 0 is free space.  Each block is parsed from its start, so that
 * an offset inside an entry is never taken for the start of one, and
 * every entry is checked before it is given out.  An htree directory
 * (dir_index) reads the same way: its index blocks look like free
 * entries.
 */
#include <kern/string.h>

#include "ext2fs.h"

/* Whether name (len bytes) has no slash and no NUL. */
static bool name_ok(const char *name, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == '\0')
			return false;
	return true;
}

/* The entry at within of block (block_size bytes) is well formed. */
static bool entry_ok(const struct ext2_fs *fs, const uint8_t *block, uint32_t within)
{
	const struct ext2_dirent *d = (const void *)(block + within);

	if (fs->block_size - within < sizeof(*d) || d->rec_len < sizeof(*d) ||
	    d->rec_len % 4 != 0 || d->rec_len > fs->block_size - within)
		return false;
	if (d->inode == 0)
		return true;
	if (d->inode > fs->super.s_inodes_count || d->name_len == 0 ||
	    EXT2_DIRENT_SIZE(d->name_len) > d->rec_len || d->file_type >= EXT2_FT_MAX)
		return false;
	return name_ok(d->name, d->name_len);
}

/* The entry of block (the directory's block at base) from within, in
 * *entry, if it is used. */
static bool entry_take(const uint8_t *block, uint32_t within, uint64_t base,
		       struct ext2_entry *entry)
{
	const struct ext2_dirent *d = (const void *)(block + within);

	entry->next = base + within + d->rec_len;
	if (d->inode == 0)
		return false;
	entry->ino = d->inode;
	entry->type = d->file_type;
	entry->name_len = d->name_len;
	memcpy(entry->name, d->name, d->name_len);
	entry->name[d->name_len] = '\0';
	return true;
}

/* Reads the directory block at base (a multiple of the block size). */
static kern_return_t dir_block(const struct ext2_fs *fs, const struct ext2_node *dir,
			       uint64_t base, uint8_t *block)
{
	uint32_t disk;
	kern_return_t kr = ext2_bmap(fs, dir, base / fs->block_size, &disk);

	if (kr != KERN_SUCCESS)
		return kr;
	if (disk == 0) {
		ext2_complain("ext2fs: directory %u has a hole at %lu", dir->ino,
			      (unsigned long)base);
		return FS_CORRUPT;
	}
	return ext2_block_read(fs, disk, block);
}

/* Whether entry has the name name (len bytes); any name if name is NULL. */
static bool named(const struct ext2_entry *entry, const char *name, size_t len)
{
	return name == NULL || (entry->name_len == len && memcmp(entry->name, name, len) == 0);
}

/*
 * The first used entry of block (the directory's block at base) at or
 * after offset at, and named name (len bytes) unless name is NULL, in
 * *entry: KERN_SUCCESS, or FS_NOT_FOUND if the block has none.  Errors:
 * FS_CORRUPT.
 */
static kern_return_t block_search(const struct ext2_fs *fs, const struct ext2_node *dir,
				  const uint8_t *block, uint64_t base, uint64_t at,
				  const char *name, size_t len, struct ext2_entry *entry)
{
	for (uint32_t within = 0; within < fs->block_size;) {
		if (!entry_ok(fs, block, within)) {
			ext2_complain("ext2fs: directory %u: a bad entry at %lu", dir->ino,
				      (unsigned long)(base + within));
			return FS_CORRUPT;
		}
		bool used = entry_take(block, within, base, entry);
		if (used && base + within >= at && named(entry, name, len))
			return KERN_SUCCESS;
		within = (uint32_t)(entry->next - base);
	}
	return FS_NOT_FOUND;
}

/* block_search over the directory's blocks from the one holding at. */
static kern_return_t dir_search(const struct ext2_fs *fs, const struct ext2_node *dir,
				uint64_t at, const char *name, size_t len, struct ext2_entry *entry)
{
	uint64_t size = ext2_node_size(dir);
	uint8_t block[EXT2_BLOCK_SIZE_MAX];

	if (ext2_node_type(dir) != EXT2_S_IFDIR)
		return FS_NOT_DIRECTORY;
	if (size % fs->block_size != 0) {
		ext2_complain("ext2fs: directory %u: size %lu is not whole blocks", dir->ino,
			      (unsigned long)size);
		return FS_CORRUPT;
	}
	for (uint64_t base = at - at % fs->block_size; base < size; base += fs->block_size) {
		kern_return_t kr = dir_block(fs, dir, base, block);
		if (kr == KERN_SUCCESS)
			kr = block_search(fs, dir, block, base, at, name, len, entry);
		if (kr != FS_NOT_FOUND)
			return kr;
	}
	return FS_NOT_FOUND;
}

kern_return_t ext2_dir_next(const struct ext2_fs *fs, const struct ext2_node *dir,
			    uint64_t at, struct ext2_entry *entry)
{
	return dir_search(fs, dir, at, NULL, 0, entry);
}

kern_return_t ext2_lookup(const struct ext2_fs *fs, const struct ext2_node *dir,
			  const char *name, size_t len, uint32_t *ino)
{
	struct ext2_entry e;

	if (len > EXT2_NAME_MAX)
		return FS_NAME_TOO_LONG;
	if (len == 0)
		return FS_NOT_FOUND;
	kern_return_t kr = dir_search(fs, dir, 0, name, len, &e);
	if (kr == KERN_SUCCESS)
		*ino = e.ino;
	return kr;
}

/* ---- Changing a directory ---- */

/* A block of a directory being changed, and a place in it. */
struct slot {
	uint64_t base;           /* the block's offset in the directory */
	uint32_t disk;           /* and on the disk */
	uint32_t within, prev;   /* the entry's offset in it, and the one before (or ~0) */
	uint8_t block[EXT2_BLOCK_SIZE_MAX];
};

static struct ext2_dirent *slot_entry(struct slot *s, uint32_t within)
{
	return (struct ext2_dirent *)(s->block + within);
}

/* The entry named name in dir, its block read, in *s.  Errors:
 * FS_NOT_FOUND, those of reading. */
static kern_return_t find_slot(const struct ext2_fs *fs, const struct ext2_node *dir,
			       const char *name, size_t len, struct slot *s)
{
	struct ext2_entry e;
	kern_return_t kr = dir_search(fs, dir, 0, name, len, &e);

	if (kr != KERN_SUCCESS)
		return kr;
	s->base = (e.next - 1) / fs->block_size * fs->block_size;   /* e ends in it */
	if ((kr = ext2_bmap(fs, dir, s->base / fs->block_size, &s->disk)) != KERN_SUCCESS ||
	    (kr = dir_block(fs, dir, s->base, s->block)) != KERN_SUCCESS)
		return kr;
	s->prev = ~0u;
	for (uint32_t w = 0; w < fs->block_size; w += slot_entry(s, w)->rec_len) {
		struct ext2_dirent *d = slot_entry(s, w);
		if (d->inode != 0 && d->name_len == len && memcmp(d->name, name, len) == 0) {
			s->within = w;
			return KERN_SUCCESS;
		}
		s->prev = w;
	}
	return FS_CORRUPT;   /* dir_search found it; the block changed under us */
}

/* The directory's blocks are plain from now on: a writer that does not
 * keep an htree index drops its flag (ext2.h). */
static kern_return_t drop_index(struct ext2_fs *fs, struct ext2_node *dir)
{
	if (!(dir->inode.i_flags & EXT2_INDEX_FL))
		return KERN_SUCCESS;
	dir->inode.i_flags &= ~EXT2_INDEX_FL;
	return ext2_inode_put(fs, dir);
}

static void entry_fill(struct ext2_dirent *d, uint16_t rec_len, const char *name, size_t len,
		       uint32_t ino, uint8_t type)
{
	d->inode = ino;
	d->rec_len = rec_len;
	d->name_len = (uint8_t)len;
	d->file_type = type;
	memcpy(d->name, name, len);
}

/* Room for an entry of need bytes in the block at s: an entry's slack or
 * a free entry, split off; its offset in *at.  False if none. */
static bool make_room(const struct ext2_fs *fs, struct slot *s, uint32_t need, uint32_t *at)
{
	for (uint32_t w = 0; w < fs->block_size; w += slot_entry(s, w)->rec_len) {
		struct ext2_dirent *d = slot_entry(s, w);
		uint32_t used = d->inode == 0 ? 0 : EXT2_DIRENT_SIZE(d->name_len);
		if (d->rec_len - used < need)
			continue;
		if (used == 0) {
			*at = w;
			return true;
		}
		*at = w + used;
		slot_entry(s, *at)->rec_len = (uint16_t)(d->rec_len - used);
		d->rec_len = (uint16_t)used;
		return true;
	}
	return false;
}

/* A new block at the directory's end, one free entry over all of it. */
static kern_return_t grow(struct ext2_fs *fs, struct ext2_node *dir, struct slot *s)
{
	bool fresh;
	s->base = ext2_node_size(dir);
	kern_return_t kr = ext2_bmap_alloc(fs, dir, s->base / fs->block_size, &s->disk, &fresh);

	if (kr != KERN_SUCCESS)
		return kr;
	memset(s->block, 0, fs->block_size);
	slot_entry(s, 0)->rec_len = (uint16_t)fs->block_size;
	ext2_node_set_size(fs, dir, s->base + fs->block_size);
	return ext2_inode_put(fs, dir);
}

kern_return_t ext2_name_check(const char *name, size_t len)
{
	if (len > EXT2_NAME_MAX)
		return FS_NAME_TOO_LONG;
	if (len == 0 || !name_ok(name, len))
		return KERN_INVALID_ARGUMENT;
	return KERN_SUCCESS;
}

kern_return_t ext2_dir_add(struct ext2_fs *fs, struct ext2_node *dir, const char *name,
			   size_t len, uint32_t ino, uint8_t type)
{
	static struct slot s;
	uint32_t need = EXT2_DIRENT_SIZE(len), at, existing;
	kern_return_t kr = ext2_name_check(name, len);

	if (kr == KERN_SUCCESS && (kr = ext2_lookup(fs, dir, name, len, &existing)) == KERN_SUCCESS)
		kr = FS_EXISTS;
	if (kr != FS_NOT_FOUND || (kr = drop_index(fs, dir)) != KERN_SUCCESS)
		return kr;
	bool found = false;
	for (uint64_t base = 0; !found && base < ext2_node_size(dir); base += fs->block_size) {
		s.base = base;
		if ((kr = ext2_bmap(fs, dir, base / fs->block_size, &s.disk)) != KERN_SUCCESS ||
		    (kr = dir_block(fs, dir, base, s.block)) != KERN_SUCCESS)
			return kr;
		found = make_room(fs, &s, need, &at);
	}
	if (!found) {
		if ((kr = grow(fs, dir, &s)) != KERN_SUCCESS)
			return kr;
		at = 0;
	}
	struct ext2_dirent *d = slot_entry(&s, at);
	entry_fill(d, d->rec_len, name, len, ino, type);
	return ext2_block_write(fs, s.disk, s.block);
}

kern_return_t ext2_dir_remove(struct ext2_fs *fs, struct ext2_node *dir, const char *name,
			      size_t len, uint32_t *ino)
{
	static struct slot s;
	kern_return_t kr = find_slot(fs, dir, name, len, &s);

	if (kr != KERN_SUCCESS || (kr = drop_index(fs, dir)) != KERN_SUCCESS)
		return kr;
	struct ext2_dirent *d = slot_entry(&s, s.within);
	*ino = d->inode;
	if (s.prev != ~0u)
		slot_entry(&s, s.prev)->rec_len += d->rec_len;   /* merged into the one before */
	else
		d->inode = 0;                                     /* the block's first: freed */
	return ext2_block_write(fs, s.disk, s.block);
}

kern_return_t ext2_dir_set(struct ext2_fs *fs, struct ext2_node *dir, const char *name,
			   size_t len, uint32_t ino, uint8_t type)
{
	static struct slot s;
	kern_return_t kr = find_slot(fs, dir, name, len, &s);

	if (kr != KERN_SUCCESS)
		return kr;
	slot_entry(&s, s.within)->inode = ino;
	slot_entry(&s, s.within)->file_type = type;
	return ext2_block_write(fs, s.disk, s.block);
}

kern_return_t ext2_dir_empty(const struct ext2_fs *fs, const struct ext2_node *dir, bool *empty)
{
	struct ext2_entry e;
	kern_return_t kr;
	uint64_t at = 0;

	*empty = true;
	while ((kr = ext2_dir_next(fs, dir, at, &e)) == KERN_SUCCESS) {
		if (strcmp(e.name, ".") != 0 && strcmp(e.name, "..") != 0) {
			*empty = false;
			return KERN_SUCCESS;
		}
		at = e.next;
	}
	return kr == FS_NOT_FOUND ? KERN_SUCCESS : kr;
}
