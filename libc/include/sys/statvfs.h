/* statvfs (libc/unix/attr.c): newlib has no <sys/statvfs.h>. */
#pragma once

#include <sys/types.h>


struct statvfs {
	unsigned long f_bsize;      /* the block size */
	unsigned long f_frsize;     /* the unit of f_blocks: the block size */
	fsblkcnt_t f_blocks, f_bfree, f_bavail;   /* all, free, free for non-root */
	fsfilcnt_t f_files, f_ffree, f_favail;    /* inodes: all, free, free for non-root */
	unsigned long f_fsid;
	unsigned long f_flag;
	unsigned long f_namemax;
};

int statvfs(const char *path, struct statvfs *st);
