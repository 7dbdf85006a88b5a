/*
 * The C side of the UNIX emulation server's interface (idl/defs/unix.defs),
 * served by emul/ (docs/unix.md): its limits, the flags of its own that
 * the routines take, and the records they give.  UNIX's own constants
 * (O_*, errno values, signals) are newlib's, in libc and emul only.
 */
#pragma once

#include <mach/fs_types.h>
#include <mach/std_types.h>

/* unix.defs's types: a path, the bytes of a read or write, a stat
 * record (the file server's struct fs_stat, or one made like it). */
typedef char *unix_path_t;
typedef char *unix_data_t;
typedef struct fs_stat unix_stat_t;

/* Bytes one read, write or getdents moves at most (in line). */
#define UNIX_IO_MAX 4096u

/* Processes the server keeps at once, zombies included. */
#define UNIX_PROC_MAX 128u
/* Children one process may have at once (the fork bomb's bound). */
#define UNIX_CHILD_MAX 64u
/* Descriptors of one process: 0 .. UNIX_OPEN_MAX - 1. */
#define UNIX_OPEN_MAX 64
/* Bytes of execve's arguments and environment together. */
#define UNIX_ARGS_MAX (64u * 1024u)
/* Bytes a pipe holds. */
#define UNIX_PIPE_SIZE 4096u

/* wait4's options. */
#define UNIX_WNOHANG 1

/* stat's and unlinkat's flags. */
#define UNIX_AT_SYMLINK_NOFOLLOW 0x100
#define UNIX_AT_REMOVEDIR 0x200

/* dup3's flag for dup2's meaning. */
#define UNIX_DUP2 0x40000000

/* One entry of getdents's answer; the next starts reclen bytes on (a
 * multiple of 8).  type is the file's type as d_type has it (DT_*). */
struct unix_dirent {
	uint64_t ino;
	uint64_t offset;       /* lseek here to go on after this entry */
	uint16_t reclen;
	uint8_t type;
	char name[];           /* NUL-terminated */
};
#define UNIX_DIRENT_SIZE(name_len) ((sizeof(struct unix_dirent) + (name_len) + 1 + 7) & ~7u)
