/*
 * ext2fs's file system: an ext2 image (ext2.h) on a device of bytes,
 * checked as it is read.  The image is hostile: every field that names a
 * block, an inode, a length or a count is checked before it is used, and
 * a bad one gives FS_CORRUPT (the log says where) rather than a crash, a
 * hang or a read outside the device.  This part knows nothing of ports or
 * messages; the server (main.c) and the host tests (tests/) give it a
 * device.
 *
 *   super.c   mounting: the superblock and the group descriptors
 *   inode.c   inodes by number
 *   bmap.c    a file's block map: logical block to disk block
 *   file.c    reading a file's bytes and a symbolic link's target
 *   dir.c     a directory's entries, and looking a name up
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

/* Whether block may hold a file's data or an indirect block: inside the
 * file system and past the superblock. */
bool ext2_block_valid(const struct ext2_fs *fs, uint32_t block);

/* inode.c: inode ino, checked (its number, its mode's type).  Errors:
 * FS_CORRUPT (ino out of range, a free inode, an unknown type),
 * FS_IO_ERROR. */
kern_return_t ext2_inode_get(const struct ext2_fs *fs, uint32_t ino, struct ext2_node *node);

/* The node's size in bytes (64 bits for regular files, large_file). */
uint64_t ext2_node_size(const struct ext2_node *node);
/* The node's type: EXT2_S_IFREG, EXT2_S_IFDIR, ... */
static inline uint16_t ext2_node_type(const struct ext2_node *node)
{
	return node->inode.i_mode & EXT2_S_IFMT;
}
/* The EXT2_FT_* of an i_mode type. */
uint8_t ext2_file_type(uint16_t type);

/* bmap.c: the disk block that holds logical block lblock of node, in
 * *block; 0 for a hole.  Errors: FS_CORRUPT (a pointer outside the file
 * system), FS_IO_ERROR; lblock past the largest file is a hole. */
kern_return_t ext2_bmap(const struct ext2_fs *fs, const struct ext2_node *node,
			uint64_t lblock, uint32_t *block);

/* file.c: up to length bytes of node from offset into buf, *done of them
 * (fewer at the end of the file; holes read as zeros).  Any type of file
 * reads its bytes.  Errors: FS_CORRUPT, FS_IO_ERROR. */
kern_return_t ext2_read(const struct ext2_fs *fs, const struct ext2_node *node,
			uint64_t offset, void *buf, size_t length, size_t *done);
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

/* namei.c: the inode at path (absolute, or relative to the inode at),
 * symbolic links followed (the last one too if follow) up to
 * EXT2FS_SYMLINKS_MAX, in *node.  Errors: FS_NOT_FOUND, FS_NOT_DIRECTORY,
 * FS_NAME_TOO_LONG (a name over 255 bytes, a path over EXT2FS_PATH_MAX),
 * FS_LOOP, FS_CORRUPT, FS_IO_ERROR, KERN_INVALID_ARGUMENT (an empty
 * path). */
kern_return_t ext2_namei(const struct ext2_fs *fs, uint32_t at, const char *path, bool follow,
			 struct ext2_node *node);

/* Says why the image was refused, at the spot (the debug log). */
void ext2_complain(const char *format, ...) __attribute__((format(printf, 1, 2)));
