/*
 * ext2fs, the server (docs/fs.md): the file system core (ext2fs.h) on a
 * disk of the block driver, served through idl/defs/fs.defs.
 *
 *   main.c     the arguments, the mount, the receive loop
 *   disk.c     the disk, behind a write-back cache
 *   opens.c    open files: a port each, with its inode, access, offset
 *              and credentials; permission checks
 *   io.c       open, close, read, write, seek, stat, readdir
 *   names.c    mkdir, unlink, rmdir, link, symlink, readlink, rename
 *   attrs.c    truncate, chmod, chown, utimes, fsync, sync
 *
 * One thread serves every request in turn, so the file system and the
 * open files need no locks.
 */
#pragma once

#include <fsServer.h>
#include <mach/fs_types.h>
#include <mach/mach.h>
#include <pager.h>

#include "ext2fs.h"

/* Open files at once, at most. */
#define OPENS_MAX 256

/* The file system served: mounted at start (main.c). */
extern struct ext2_fs ext2fs;
/* The receive loop (main.c): the open files' ports and the mapped files'
 * memory objects, in one port set. */
extern struct pager_server file_server;

/* Seconds since 1970, as the file system's clock goes (main.c): the
 * superblock's last write time at mount, and the uptime since. */
uint32_t server_now(void);

/* ---- disk.c ---- */

struct disk_stats {
	uint64_t reads, writes, hits, flushes;
};

/* The disk registered as name (waited for while the driver starts), as a
 * device for the core; *read_only if the disk is.  Errors: FS_NOT_FOUND,
 * KERN_NOT_SUPPORTED (sectors that do not divide a page), blk_info's. */
kern_return_t disk_open(mach_port_t names, const char *name, struct ext2_dev *dev,
			bool *read_only);
struct disk_stats disk_stats(void);

/* ---- opens.c ---- */

struct cred {
	uint32_t uid, gid;
};

struct open {
	mach_port_t port;     /* its receive right; MACH_PORT_NULL: a free slot */
	uint32_t ino;
	uint32_t flags;       /* FS_OPEN_* */
	uint64_t offset;
	struct cred cred;
};

/* A new open of ino, its port (with a send right for the caller) in
 * o->port.  Errors: KERN_RESOURCE_SHORTAGE, mach_port_allocate's. */
kern_return_t open_new(uint32_t ino, uint32_t flags, struct cred cred, struct open **o);
/* The open file whose port is name, or NULL. */
struct open *open_lookup(mach_port_t name);
/* Ends o and its port; its inode goes too if nothing names it and no
 * other open has it. */
void open_end(struct open *o);
/* Whether any open has ino. */
bool open_has(uint32_t ino);
/* No client holds a send right to port any more: if it is an open's, the
 * open ends (pager_server_set_no_senders). */
void open_gone(mach_port_t port);

/* The access bits of want (4 read, 2 write, 1 search or execute) that
 * cred lacks on node: 0 if it may. */
bool may(const struct ext2_node *node, struct cred cred, unsigned want);
/* Whether cred may take the blocks ext2 keeps for root (the superblock's
 * reserved user, or its group unless that is 0, as Linux has it). */
bool may_use_reserved(struct cred cred);
/* io.c: the inode at path from the directory at, walked as cred (search
 * permission on every directory looked in).  Errors: ext2_namei's,
 * FS_ACCESS_DENIED. */
kern_return_t walk_as(uint32_t at, const char *path, bool follow, struct cred cred,
		      struct ext2_node *node);

/* ---- map.c ---- */

/* Whether a mapped file's memory object has ino. */
bool map_has(uint32_t ino);
/* A send right to ino's memory object in *right, made if there is none.
 * Errors: KERN_RESOURCE_SHORTAGE, pager_create's. */
kern_return_t map_object(uint32_t ino, mach_port_t *right);
/* The kernel's cached pages of ino's object in [start, end) given back
 * if modified, and dropped if flush.  Errors: FS_IO_ERROR (the kernel
 * did not do it). */
kern_return_t map_settle(uint32_t ino, uint64_t start, uint64_t end, bool flush);
/* map_settle of every object, nothing dropped. */
kern_return_t map_settle_all(void);
/* ext2_read, ext2_write and ext2_truncate of node (ext2fs.h), coherent
 * with its mappings: the kernel's pages of the bytes read are given back
 * first, and those of the bytes changed also dropped; node is read anew
 * after that, and a change sets its modification time. */
kern_return_t file_read(struct ext2_node *node, uint64_t offset, void *buf, size_t length,
			size_t *done);
kern_return_t file_write(struct ext2_node *node, uint64_t offset, const void *buf, size_t length,
			 size_t *done);
kern_return_t file_truncate(struct ext2_node *node, uint64_t size);

/* The inode of o, read.  Errors: ext2_inode_get's. */
kern_return_t open_node(const struct open *o, struct ext2_node *node);
/* Frees node if nothing names it and no open has it. */
kern_return_t release_if_unused(struct ext2_node *node);
