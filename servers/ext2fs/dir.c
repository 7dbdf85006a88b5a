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
	for (unsigned i = 0; i < d->name_len; i++)
		if (d->name[i] == '/' || d->name[i] == '\0')
			return false;
	return true;
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
