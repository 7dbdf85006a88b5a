/*
 * ext2fs's file system: an ext2 image (ext2.h) on a device of bytes,
 * checked as it is read.  The image is hostile: every field that names a
 * block, an inode, a length or a count is checked before it is used, and
 * a bad one gives FS_CORRUPT (the log says where) rather than a crash, a
 * hang or a read outside the device.  This part knows nothing of ports or
 * messages; the server (main.c) and the host tests (tests/) give it a
 * device.
 *
 *   super.c   mounting: the superblock and the group descriptors; blocks
 *   alloc.c   the bitmaps and free counts: blocks and inodes taken and freed
 *   inode.c   inodes by number
 *   bmap.c    a file's block map: logical block to disk block
 *   file.c    reading a file's bytes and a symbolic link's target
 *   bmap.c    (also) holes filled; truncate.c: a map trimmed
 *   file.c    (also) writing a file's bytes
 *   dir.c     a directory's entries: looking a name up, adding, removing
 *   ops.c     create, link, unlink, delete; rename.c: rename
 *   namei.c   a path to an inode
 *
 * Single-threaded: the server serves one request at a time.
 */
#pragma once

#include <mach/kern_return.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ext2.h"

/* Groups at most: 128 MiB each with 4 KiB blocks (16 GiB), 8 MiB with
 * 1 KiB blocks (1 GiB at 128 groups). */
#define EXT2FS_GROUPS_MAX 1024
/* Symbolic links followed in one path, at most (Linux's number). */
#define EXT2FS_SYMLINKS_MAX 40
/* A path's length, at most. */
#define EXT2FS_PATH_MAX 4096

/* Where the image's bytes are: read and write whole ranges of the device
 * (size bytes); errors are FS_IO_ERROR.  flush: everything written is on
 * stable storage. */
struct ext2_dev {
	void *cookie;
	uint64_t size;
	kern_return_t (*read)(void *cookie, uint64_t offset, void *buf, size_t length);
	kern_return_t (*write)(void *cookie, uint64_t offset, const void *buf, size_t length);
	kern_return_t (*flush)(void *cookie);
};

struct ext2_fs {
	struct ext2_dev dev;
	struct ext2_super super;
	uint32_t block_size;
	uint32_t groups;
	uint32_t inode_size;
	uint32_t addrs_per_block;      /* block numbers in one block */
	bool read_only;                /* refused writes: an ro_compat feature unknown */
	/* Set: allocation leaves the last s_r_blocks_count free blocks alone,
	 * for a caller that is not their user or group (s_def_resuid,
	 * s_def_resgid).  The server sets it for each request from the
	 * caller's credentials; mount clears it. */
	bool keep_reserved;
	struct ext2_group group[EXT2FS_GROUPS_MAX];
};

/* An inode in memory: its number and its first 128 bytes. */
struct ext2_node {
	uint32_t ino;
	struct ext2_inode inode;
};

/* super.c: reads and checks the superblock and the group descriptors of
 * dev.  Errors: FS_CORRUPT (not ext2, or inconsistent), KERN_NOT_SUPPORTED
 * (revision 0, a block size other than 1, 2 or 4 KiB, an incompat feature
 * this server does not know), FS_IO_ERROR. */
kern_return_t ext2_mount(struct ext2_fs *fs, const struct ext2_dev *dev);

/* Reads block number block (checked: inside the file system) into buf
 * (block_size bytes).  Errors: FS_CORRUPT, FS_IO_ERROR. */
kern_return_t ext2_block_read(const struct ext2_fs *fs, uint32_t block, void *buf);

/* Writes buf (block_size bytes) to block number block.  Errors:
 * FS_READ_ONLY, FS_CORRUPT (outside the file system), FS_IO_ERROR. */
kern_return_t ext2_block_write(struct ext2_fs *fs, uint32_t block, const void *buf);

/* Whether block may hold a file's data or an indirect block: inside the
 * file system and past the superblock. */
bool ext2_block_valid(const struct ext2_fs *fs, uint32_t block);

/* Writes the superblock (its free counts) and flushes the device:
 * everything written so far is on stable storage.  Errors: FS_IO_ERROR. */
kern_return_t ext2_sync(struct ext2_fs *fs);

/* alloc.c: a free block, taken, in *block: near goal if it can be (0: no
 * goal).  Its contents are the caller's to write.  Errors: FS_NO_SPACE,
 * FS_READ_ONLY, FS_CORRUPT (the bitmap and the counts disagree, or a
 * bitmap offers metadata), FS_IO_ERROR. */
kern_return_t ext2_block_alloc(struct ext2_fs *fs, uint32_t goal, uint32_t *block);
/* Gives block back.  Errors: FS_CORRUPT (not in use, or metadata),
 * FS_IO_ERROR. */
kern_return_t ext2_block_free(struct ext2_fs *fs, uint32_t block);
/* A free inode, taken, in *ino: a directory's in the emptiest group,
 * another near the inode near.  Errors: as ext2_block_alloc's. */
kern_return_t ext2_inode_alloc(struct ext2_fs *fs, uint32_t near, bool dir, uint32_t *ino);
/* Gives inode ino back (a directory's if dir).  Errors: FS_CORRUPT (not
 * in use, or reserved), FS_IO_ERROR. */
kern_return_t ext2_inode_free(struct ext2_fs *fs, uint32_t ino, bool dir);
/* The blocks of the group descriptors. */
uint32_t ext2_gdt_blocks(const struct ext2_fs *fs);

/* inode.c: inode ino, as a name gives it: checked (its number, its
 * mode's type, its links).  Errors: FS_CORRUPT (ino out of range, an
 * unknown type, no links), FS_IO_ERROR. */
kern_return_t ext2_inode_get(const struct ext2_fs *fs, uint32_t ino, struct ext2_node *node);
/* The same without the links: an inode an open file keeps after its last
 * name went. */
kern_return_t ext2_inode_read(const struct ext2_fs *fs, uint32_t ino, struct ext2_node *node);

/* Writes node's first 128 bytes back to its inode (the rest of a larger
 * inode stays as it was).  Errors: FS_READ_ONLY, FS_CORRUPT, FS_IO_ERROR. */
kern_return_t ext2_inode_put(struct ext2_fs *fs, const struct ext2_node *node);

/* The node's size in bytes (64 bits for regular files, large_file). */
uint64_t ext2_node_size(const struct ext2_node *node);
/* The node's type: EXT2_S_IFREG, EXT2_S_IFDIR, ... */
static inline uint16_t ext2_node_type(const struct ext2_node *node)
{
	return node->inode.i_mode & EXT2_S_IFMT;
}
/* Sets node's size (i_size, and i_size_high for a regular file); a size
 * of 2 GiB or more marks the file system large_file. */
void ext2_node_set_size(struct ext2_fs *fs, struct ext2_node *node, uint64_t size);
/* The largest file the block map holds, in bytes. */
uint64_t ext2_size_max(const struct ext2_fs *fs);
/* The EXT2_FT_* of an i_mode type. */
uint8_t ext2_file_type(uint16_t type);

/* bmap.c: the disk block that holds logical block lblock of node, in
 * *block; 0 for a hole.  Errors: FS_CORRUPT (a pointer outside the file
 * system), FS_IO_ERROR; lblock past the largest file is a hole. */
kern_return_t ext2_bmap(const struct ext2_fs *fs, const struct ext2_node *node,
			uint64_t lblock, uint32_t *block);

/* The same, a hole filled: the block (and the indirect blocks on the
 * way, zeroed) allocated, counted in node's i_blocks; *fresh if it was
 * (its contents are the caller's to write).  node's inode is the
 * caller's to write back.  Errors: those of ext2_bmap and
 * ext2_block_alloc, FS_TOO_LARGE (past the largest file). */
kern_return_t ext2_bmap_alloc(struct ext2_fs *fs, struct ext2_node *node, uint64_t lblock,
			      uint32_t *block, bool *fresh);
/* truncate.c: node cut or extended to size bytes: the blocks past it
 * freed (indirect blocks that map nothing any more too), the rest of its
 * last block zeroed, so that growing it later reads zeros; a larger size
 * is a hole.  node's inode is written.  Errors: FS_TOO_LARGE, those of
 * ext2_block_free, FS_IO_ERROR. */
kern_return_t ext2_truncate(struct ext2_fs *fs, struct ext2_node *node, uint64_t size);

/* file.c: up to length bytes of node from offset into buf, *done of them
 * (fewer at the end of the file; holes read as zeros).  Any type of file
 * reads its bytes.  Errors: FS_CORRUPT, FS_IO_ERROR. */
kern_return_t ext2_read(const struct ext2_fs *fs, const struct ext2_node *node,
			uint64_t offset, void *buf, size_t length, size_t *done);
/* length bytes of buf written to node at offset, *done of them (all,
 * unless an error stopped it); holes in between stay holes, the size
 * grows to cover them, and node's inode is written.  Errors: FS_READ_ONLY,
 * FS_TOO_LARGE, FS_NO_SPACE, FS_CORRUPT, FS_IO_ERROR. */
kern_return_t ext2_write(struct ext2_fs *fs, struct ext2_node *node, uint64_t offset,
			 const void *buf, size_t length, size_t *done);
/* A symbolic link's target, NUL-terminated, in buf (size bytes; the
 * target is at most EXT2FS_PATH_MAX - 1).  Errors: KERN_INVALID_ARGUMENT
 * (not a symbolic link), FS_NAME_TOO_LONG (it does not fit), FS_CORRUPT,
 * FS_IO_ERROR. */
kern_return_t ext2_readlink(const struct ext2_fs *fs, const struct ext2_node *node, char *buf,
			    size_t size);

/* dir.c: one directory entry as the iteration gives it. */
struct ext2_entry {
	uint32_t ino;
	uint8_t type;                  /* EXT2_FT_* */
	uint8_t name_len;
	char name[EXT2_NAME_MAX + 1];  /* NUL-terminated */
	uint64_t next;                 /* the offset of the entry after it */
};

/* The first used entry of directory dir at or after byte offset *at, in
 * *entry (entry->next: where to go on).  Returns KERN_SUCCESS, or
 * FS_NOT_FOUND at the end.  Errors: FS_NOT_DIRECTORY, FS_CORRUPT (an
 * entry that breaks the format: its length, its name, its inode),
 * FS_IO_ERROR. */
kern_return_t ext2_dir_next(const struct ext2_fs *fs, const struct ext2_node *dir,
			    uint64_t at, struct ext2_entry *entry);
/* The inode named name (len bytes) in dir, in *ino.  Errors:
 * FS_NOT_FOUND, FS_NAME_TOO_LONG, FS_NOT_DIRECTORY, FS_CORRUPT,
 * FS_IO_ERROR. */
kern_return_t ext2_lookup(const struct ext2_fs *fs, const struct ext2_node *dir,
			  const char *name, size_t len, uint32_t *ino);

/* Whether a directory may hold name (len bytes): 1 to 255 bytes, no
 * slash, no NUL.  Errors: FS_NAME_TOO_LONG, KERN_INVALID_ARGUMENT. */
kern_return_t ext2_name_check(const char *name, size_t len);
/* Adds the entry name (len bytes) for inode ino of type (EXT2_FT_*) to
 * dir, in free room or in a block added at its end.  Errors: FS_EXISTS,
 * FS_NAME_TOO_LONG, KERN_INVALID_ARGUMENT (an empty name, or one with a
 * slash or a NUL), FS_NO_SPACE, FS_READ_ONLY, FS_CORRUPT, FS_IO_ERROR. */
kern_return_t ext2_dir_add(struct ext2_fs *fs, struct ext2_node *dir, const char *name,
			   size_t len, uint32_t ino, uint8_t type);
/* Removes the entry name from dir; the inode it named in *ino (its links
 * are the caller's).  Errors: FS_NOT_FOUND, FS_READ_ONLY, FS_CORRUPT,
 * FS_IO_ERROR. */
kern_return_t ext2_dir_remove(struct ext2_fs *fs, struct ext2_node *dir, const char *name,
			      size_t len, uint32_t *ino);
/* Points dir's entry name at inode ino of type instead.  Errors: as
 * ext2_dir_remove's. */
kern_return_t ext2_dir_set(struct ext2_fs *fs, struct ext2_node *dir, const char *name,
			   size_t len, uint32_t ino, uint8_t type);
/* Whether dir holds nothing but . and .., in *empty.  Errors: as
 * ext2_dir_next's. */
kern_return_t ext2_dir_empty(const struct ext2_fs *fs, const struct ext2_node *dir, bool *empty);

/* namei.c: the inode at path (absolute, or relative to the inode at),
 * symbolic links followed (the last one too if follow) up to
 * EXT2FS_SYMLINKS_MAX, in *node.  Errors: FS_NOT_FOUND, FS_NOT_DIRECTORY,
 * FS_NAME_TOO_LONG (a name over 255 bytes, a path over EXT2FS_PATH_MAX),
 * FS_LOOP, FS_CORRUPT, FS_IO_ERROR, KERN_INVALID_ARGUMENT (an empty
 * path). */
kern_return_t ext2_namei(const struct ext2_fs *fs, uint32_t at, const char *path, bool follow,
			 struct ext2_node *node);

/* ops.c: what a new inode is made of. */
struct ext2_new {
	uint16_t mode;           /* its type (EXT2_S_IF*) and permission bits */
	uint32_t uid, gid;
	uint32_t now;            /* its times */
	const char *target;      /* a symbolic link's, NUL-terminated */
};

/* A new inode as how says, named name (len bytes) in dir, in *node: a
 * directory with "." and ".." (dir's links one more), a symbolic link
 * with its target, anything else empty.  Errors: FS_EXISTS,
 * FS_NOT_DIRECTORY (dir is not one), FS_NAME_TOO_LONG,
 * KERN_INVALID_ARGUMENT (a bad name, type or target), FS_TOO_MANY_LINKS,
 * FS_NO_SPACE, FS_READ_ONLY, FS_CORRUPT, FS_IO_ERROR. */
kern_return_t ext2_create(struct ext2_fs *fs, struct ext2_node *dir, const char *name,
			  size_t len, const struct ext2_new *how, struct ext2_node *node);
/* name in dir names node too (a hard link).  Errors: FS_IS_DIRECTORY,
 * FS_TOO_MANY_LINKS, and ext2_dir_add's. */
kern_return_t ext2_link(struct ext2_fs *fs, struct ext2_node *dir, const char *name, size_t len,
			struct ext2_node *node, uint32_t now);
/* Removes name from dir: a directory (rmdir: it must be empty) or
 * anything else; the inode, its links dropped, in *node (the caller
 * deletes it at no links once no one has it open).  Errors:
 * FS_NOT_FOUND, FS_IS_DIRECTORY, FS_NOT_DIRECTORY, FS_NOT_EMPTY,
 * FS_INVALID_MOVE (. or ..), FS_READ_ONLY, FS_CORRUPT, FS_IO_ERROR. */
kern_return_t ext2_unlink(struct ext2_fs *fs, struct ext2_node *dir, const char *name,
			  size_t len, bool rmdir, uint32_t now, struct ext2_node *node);
/* Frees node, which has no links left: its blocks and its inode.
 * Errors: KERN_INVALID_ARGUMENT (it has links), FS_CORRUPT, FS_IO_ERROR. */
kern_return_t ext2_delete(struct ext2_fs *fs, struct ext2_node *node, uint32_t now);
/* rename.c: from in from_dir becomes to in to_dir; what to named before,
 * its links dropped, in *replaced (ino 0: nothing; the caller deletes it
 * at no links).  Renaming a file to a name of the same file does
 * nothing.  Errors: FS_NOT_FOUND, FS_NOT_DIRECTORY, FS_IS_DIRECTORY,
 * FS_NOT_EMPTY, FS_INVALID_MOVE (. or .., or a directory under itself),
 * FS_TOO_MANY_LINKS, and ext2_dir_add's. */
kern_return_t ext2_rename(struct ext2_fs *fs, struct ext2_node *from_dir, const char *from,
			  size_t from_len, struct ext2_node *to_dir, const char *to,
			  size_t to_len, uint32_t now, struct ext2_node *replaced);

/* The same, each directory the walk looks in first passed to
 * search->may (which may refuse it: FS_ACCESS_DENIED, say). */
struct ext2_search {
	kern_return_t (*may)(const struct ext2_node *dir, void *arg);
	void *arg;
};
kern_return_t ext2_namei_as(const struct ext2_fs *fs, uint32_t at, const char *path, bool follow,
			    const struct ext2_search *search, struct ext2_node *node);

/* Says why the image was refused, at the spot (the debug log). */
void ext2_complain(const char *format, ...) __attribute__((format(printf, 1, 2)));
