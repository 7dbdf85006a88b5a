/*
 * Mapped files (fs.defs: map).  The server is the pager (servers/libpager)
 * of one memory object per mapped regular file: the kernel asks it for
 * the file's pages when a mapping is touched and gives back the pages
 * written through one.  An object lives while a client or the kernel's
 * cache holds a send right to it; its inode lives at least as long.
 *
 * Two caches hold a mapped file: the kernel's pages of the object and
 * the server's disk cache (disk.c).  They are kept coherent around every
 * call that reads or changes the file's bytes: before read, the kernel
 * gives back the range's modified pages (a clean); before write and
 * truncate, it gives them back and drops the range (a flush), so a later
 * touch asks for the new bytes.  The server never maps its own objects,
 * so serving a fault never faults on them (docs/fs.md).
 *
 * A page reads the file's bytes, zeros past its end within the page; a
 * page wholly past the end is a memory error, as on other systems.  A
 * page given back is written up to the file's end and no further: a
 * mapping does not grow the file.
 */
#include "server.h"

/* Files mapped at once, at most. */
#define MAPS_MAX 256

/* How long a clean or flush may take the kernel: it answers at once
 * unless its pages are being paged in or out. */
#define MAP_LOCK_TIMEOUT_MS 10000

struct map {
	uint32_t ino;                 /* 0: a free slot */
	struct pager_object *object;
};

static struct map maps[MAPS_MAX];

static kern_return_t read_page(void *cookie, vm_offset_t offset, void *page, const void **data)
{
	const struct map *m = cookie;
	struct ext2_node node;
	size_t done = 0;
	kern_return_t kr = ext2_inode_read(&ext2fs, m->ino, &node);

	(void)data;
	if (kr == KERN_SUCCESS && offset >= ext2_node_size(&node))
		kr = KERN_MEMORY_ERROR;
	if (kr == KERN_SUCCESS)
		kr = ext2_read(&ext2fs, &node, offset, page, PAGER_PAGE_SIZE, &done);
	if (kr == KERN_SUCCESS)
		memset((uint8_t *)page + done, 0, PAGER_PAGE_SIZE - done);
	return kr;
}

static kern_return_t write_page(void *cookie, vm_offset_t offset, const void *page)
{
	const struct map *m = cookie;
	struct ext2_node node;
	size_t done = 0;
	kern_return_t kr = ext2_inode_read(&ext2fs, m->ino, &node);

	if (kr != KERN_SUCCESS || offset >= ext2_node_size(&node))
		return kr;   /* past the end: not the file's */
	uint64_t left = ext2_node_size(&node) - offset;
	bool keep_reserved = ext2fs.keep_reserved;
	/* The kernel's page-out, perhaps inside a request: it may take the
	 * blocks kept for root, as the system's own writes do. */
	ext2fs.keep_reserved = false;
	node.inode.i_mtime = node.inode.i_ctime = server_now();
	kr = ext2_write(&ext2fs, &node, offset, page,
			left < PAGER_PAGE_SIZE ? (size_t)left : PAGER_PAGE_SIZE, &done);
	ext2fs.keep_reserved = keep_reserved;
	return kr;
}

/* The object is gone: the inode goes too if nothing else has it. */
static void released(void *cookie)
{
	struct map *m = cookie;
	struct ext2_node node;
	uint32_t ino = m->ino;

	*m = (struct map){ 0 };
	if (ext2_inode_read(&ext2fs, ino, &node) == KERN_SUCCESS)
		release_if_unused(&node);
}

static const struct pager_ops file_ops = { read_page, write_page, NULL, released };

static struct map *map_find(uint32_t ino)
{
	for (unsigned i = 0; ino != 0 && i < MAPS_MAX; i++)
		if (maps[i].ino == ino)
			return &maps[i];
	return NULL;
}

bool map_has(uint32_t ino)
{
	return map_find(ino) != NULL;
}

/* A new object for ino, *right a send right to it. */
static kern_return_t map_new(uint32_t ino, mach_port_t *right)
{
	struct map *m = NULL;

	for (unsigned i = 0; m == NULL && i < MAPS_MAX; i++)
		if (maps[i].ino == 0)
			m = &maps[i];
	if (m == NULL)
		return KERN_RESOURCE_SHORTAGE;
	/* As large as a file can grow: read_page knows where it ends. */
	vm_size_t size = ext2_size_max(&ext2fs) & ~(PAGER_PAGE_SIZE - 1);
	kern_return_t kr = pager_create(&file_server, &file_ops, m, size, false, &m->object,
					right);
	if (kr == KERN_SUCCESS)
		m->ino = ino;
	return kr;
}

kern_return_t map_object(uint32_t ino, mach_port_t *right)
{
	const struct map *m = map_find(ino);

	if (m == NULL)
		return map_new(ino, right);
	*right = pager_port(m->object);
	return mach_port_insert_right(mach_task_self(), *right, *right, MACH_MSG_TYPE_MAKE_SEND);
}

kern_return_t map_settle(uint32_t ino, uint64_t start, uint64_t end, bool flush)
{
	const struct map *m = map_find(ino);

	if (m == NULL || start >= end)
		return KERN_SUCCESS;
	vm_size_t limit = pager_size(m->object);
	start &= ~(uint64_t)(PAGER_PAGE_SIZE - 1);
	end = end > limit - PAGER_PAGE_SIZE ? limit : (end + PAGER_PAGE_SIZE - 1) &
							      ~(uint64_t)(PAGER_PAGE_SIZE - 1);
	if (start >= end)
		return KERN_SUCCESS;
	kern_return_t kr = pager_lock(m->object, start, end - start, MEMORY_OBJECT_RETURN_DIRTY,
				      flush, VM_PROT_NONE, MAP_LOCK_TIMEOUT_MS);
	if (kr == KERN_ABORTED && !map_has(ino))
		return KERN_SUCCESS;   /* the object went meanwhile: nothing is cached */
	if (kr != KERN_SUCCESS)
		mach_printf("ext2fs: inode %u: the kernel's pages did not come back: %s\n", ino,
			    mach_error_name(kr));
	return kr == KERN_SUCCESS ? KERN_SUCCESS : FS_IO_ERROR;
}

kern_return_t map_settle_all(void)
{
	kern_return_t result = KERN_SUCCESS;

	for (unsigned i = 0; i < MAPS_MAX; i++) {
		kern_return_t kr = map_settle(maps[i].ino, 0, ~(uint64_t)0, false);
		if (result == KERN_SUCCESS)
			result = kr;
	}
	return result;
}

/* node read anew, once the kernel's pages of [start, end) are settled
 * (given back, and dropped if flush): a page given back may have changed
 * it. */
static kern_return_t settled(struct ext2_node *node, uint64_t start, uint64_t end, bool flush)
{
	kern_return_t kr = map_settle(node->ino, start, end, flush);

	return kr == KERN_SUCCESS ? ext2_inode_read(&ext2fs, node->ino, node) : kr;
}

kern_return_t file_read(struct ext2_node *node, uint64_t offset, void *buf, size_t length,
			size_t *done)
{
	kern_return_t kr = settled(node, offset, offset + length, false);

	return kr == KERN_SUCCESS ? ext2_read(&ext2fs, node, offset, buf, length, done) : kr;
}

/* The bytes write or truncate changes: from offset, or from the end if
 * it lies before (the gap between reads as zeros), to end. */
static kern_return_t settle_change(struct ext2_node *node, uint64_t offset, uint64_t end)
{
	uint64_t size = ext2_node_size(node);
	kern_return_t kr = settled(node, offset < size ? offset : size, end, true);

	if (kr == KERN_SUCCESS)
		node->inode.i_mtime = node->inode.i_ctime = server_now();
	return kr;
}

kern_return_t file_write(struct ext2_node *node, uint64_t offset, const void *buf, size_t length,
			 size_t *done)
{
	kern_return_t kr = settle_change(node, offset, offset + length);

	return kr == KERN_SUCCESS ? ext2_write(&ext2fs, node, offset, buf, length, done) : kr;
}

kern_return_t file_truncate(struct ext2_node *node, uint64_t size)
{
	uint64_t old = ext2_node_size(node);
	kern_return_t kr = settle_change(node, size, size > old ? size : old);

	return kr == KERN_SUCCESS ? ext2_truncate(&ext2fs, node, size) : kr;
}

kern_return_t fs_S_map(mach_port_t file, mach_port_t *object, vm_prot_t *max_protection)
{
	struct open *o = open_lookup(file);
	struct ext2_node node;
	kern_return_t kr = o != NULL ? open_node(o, &node) : KERN_INVALID_ARGUMENT;

	*object = MACH_PORT_NULL;
	*max_protection = VM_PROT_NONE;
	if (kr != KERN_SUCCESS)
		return kr;
	if (ext2_node_type(&node) != EXT2_S_IFREG)
		return ext2_node_type(&node) == EXT2_S_IFDIR ? FS_IS_DIRECTORY
							     : KERN_INVALID_ARGUMENT;
	if (!(o->flags & FS_OPEN_READ))
		return FS_ACCESS_DENIED;
	if ((kr = map_object(node.ino, object)) != KERN_SUCCESS)
		return kr;
	*max_protection = VM_PROT_READ | (o->flags & FS_OPEN_WRITE ? VM_PROT_WRITE : 0) |
			  (may(&node, o->cred, 1) ? VM_PROT_EXECUTE : 0);
	return KERN_SUCCESS;
}
