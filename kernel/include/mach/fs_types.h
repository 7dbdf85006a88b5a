/*
 * The C side of the file server's interface (idl/defs/fs.defs), served
 * by servers/ext2fs (docs/fs.md): the open flags, the seek origins, the
 * limits, and the records a stat and a readdir give.
 */
#pragma once

#include <mach/std_types.h>

/* Bytes one read, write or readdir moves at most. */
#define FS_IO_MAX (128u * 1024u)

/* A path (fs.defs: c_string[*:4096]) and one name of it ([*:256]). */
#define FS_PATH_MAX 4096
#define FS_NAME_MAX 255
typedef char *fs_path_t;
typedef char *fs_name_t;

/* open's flags: READ and/or WRITE, and any of the rest. */
#define FS_OPEN_READ 0x001u
#define FS_OPEN_WRITE 0x002u
#define FS_OPEN_CREATE 0x004u      /* a regular file if there is none */
#define FS_OPEN_EXCLUSIVE 0x008u   /* with CREATE: it must not exist */
#define FS_OPEN_TRUNCATE 0x010u    /* with WRITE: cut to 0 */
#define FS_OPEN_APPEND 0x020u      /* every write goes to the end */
#define FS_OPEN_DIRECTORY 0x040u   /* it must be a directory */
#define FS_OPEN_NOFOLLOW 0x080u    /* a symbolic link at the end is not followed: FS_LOOP */
#define FS_OPEN_LINK 0x100u        /* a symbolic link at the end is opened itself, for
				      stat, chmod, chown and utimes only (not WRITE) */
#define FS_OPEN_ATTRIBUTES 0x200u  /* for stat, chmod, chown, utimes only: no permission
				      on the file itself is needed (not with WRITE) */
#define FS_OPEN_FLAGS 0x3ffu

/* seek's whence. */
#define FS_SEEK_SET 0u
#define FS_SEEK_CUR 1u
#define FS_SEEK_END 2u

/* readdir's cookie past the last entry. */
#define FS_DIR_END 0xffffffffffffffffull

/* The mode's type bits (ext2's, which are UNIX's). */
#define FS_S_IFMT 0170000u
#define FS_S_IFDIR 0040000u
#define FS_S_IFREG 0100000u
#define FS_S_IFLNK 0120000u

/* stat's answer. */
/* A file system's size and use (fs.defs: statfs). */
struct fs_statfs {
	uint64_t block_size;       /* bytes */
	uint64_t blocks;
	uint64_t blocks_free;
	uint64_t blocks_available; /* of those, what a user who is not root may take */
	uint64_t files;            /* inodes */
	uint64_t files_free;
};
typedef struct fs_statfs fs_statfs_t;

struct fs_stat {
	uint64_t ino;
	uint64_t mode;         /* type and permission bits */
	uint64_t links;
	uint64_t uid, gid;
	uint64_t size;         /* bytes */
	uint64_t blocks;       /* 512-byte sectors in use */
	uint64_t atime, mtime, ctime;
	uint64_t block_size;   /* the file system's */
	uint64_t dev;          /* which file system (the server's number) */
	uint64_t generation;
	uint64_t flags;
};
typedef struct fs_stat fs_stat_t;
_Static_assert(sizeof(struct fs_stat) == 14 * 8, "fs_stat_t is struct[14] of uint64_t");

/* One entry of readdir's answer; the next starts rec_len bytes on (a
 * multiple of 8). */
struct fs_dirent {
	uint64_t ino;
	uint64_t cookie;       /* readdir from here goes on after this entry */
	uint16_t rec_len;
	uint8_t type;          /* FS_DT_*, ext2's file types */
	uint8_t name_len;
	char name[];           /* NUL-terminated */
};
#define FS_DIRENT_SIZE(name_len) ((sizeof(struct fs_dirent) + (name_len) + 1 + 7) & ~7u)
