/*
 * The server's disk: a virtio-blk disk of the block driver (blk.defs),
 * found in the name service, behind a write-back cache of 4 KiB pages.
 * The file system core reads and writes byte ranges (struct ext2_dev);
 * each goes to the pages that hold it, which are read from the disk on
 * first use and written back when the cache needs their room or at
 * disk_flush (fsync, sync), which then has the device make them stable
 * (blk_flush).  The least recently used page goes first.  A page missed
 * is read with up to READ_AHEAD pages after it that are not cached, in
 * one request: files are mostly read in order.
 */
#include <blk.h>
#include <bootstrap.h>

#include "server.h"

#define PAGE 4096u
#define CACHE_PAGES 256u            /* 1 MiB */
#define READ_AHEAD 16u              /* pages a miss reads, at most: 64 KiB */
#define DISK_WAIT_MS 5000u

struct cached {
	uint64_t offset;                /* on the disk; a multiple of PAGE */
	uint64_t used;                  /* the use clock when last used */
	bool valid, dirty;
};

static struct {
	mach_port_t port;
	uint64_t size;                  /* bytes */
	uint64_t clock;
	struct cached page[CACHE_PAGES];
	uint8_t data[CACHE_PAGES][PAGE] __attribute__((aligned(PAGE)));
	struct disk_stats stats;
} disk;

/* The bytes of page p that lie on the disk (the last page may be short). */
static uint32_t page_length(const struct cached *c)
{
	return disk.size - c->offset < PAGE ? (uint32_t)(disk.size - c->offset) : PAGE;
}

static kern_return_t write_back(unsigned i)
{
	struct cached *c = &disk.page[i];

	if (!c->dirty)
		return KERN_SUCCESS;
	kern_return_t kr = blk_write(disk.port, c->offset, (vm_offset_t)disk.data[i],
				     page_length(c));
	if (kr != KERN_SUCCESS) {
		mach_printf("ext2fs: writing the disk at %lu failed: %s\n", c->offset,
			    mach_error_name(kr));
		return FS_IO_ERROR;
	}
	c->dirty = false;
	disk.stats.writes++;
	return KERN_SUCCESS;
}

/* The cache page holding the disk's page at offset, or CACHE_PAGES. */
static unsigned lookup(uint64_t offset)
{
	for (unsigned i = 0; i < CACHE_PAGES; i++)
		if (disk.page[i].valid && disk.page[i].offset == offset)
			return i;
	return CACHE_PAGES;
}

/* A cache page to reuse, written back first: a free one, else the least
 * recently used.  Errors: FS_IO_ERROR. */
static kern_return_t take_slot(unsigned *index)
{
	unsigned victim = 0;

	for (unsigned i = 0; i < CACHE_PAGES && disk.page[victim].valid; i++)
		if (!disk.page[i].valid || disk.page[i].used < disk.page[victim].used)
			victim = i;
	*index = victim;
	return write_back(victim);
}

/* The pages from offset on that a miss reads with it, in one request:
 * up to READ_AHEAD, as far as the disk goes and none cached already. */
static unsigned run_to_read(uint64_t offset)
{
	unsigned n = 1;

	while (n < READ_AHEAD && offset + (uint64_t)n * PAGE < disk.size &&
	       lookup(offset + (uint64_t)n * PAGE) == CACHE_PAGES)
		n++;
	return n;
}

/* Reads the disk's pages from offset on (run_to_read) into the cache;
 * the first into page i, which the caller took.  Each page read after it
 * is kept if a slot can be had (it may well be needed next). */
static kern_return_t read_in(unsigned i, uint64_t offset)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	uint64_t run = (uint64_t)run_to_read(offset) * PAGE;
	uint64_t length = disk.size - offset < run ? disk.size - offset : run;
	kern_return_t kr = blk_read(disk.port, offset, (uint32_t)length, &data, &count);
	if (kr != KERN_SUCCESS || count != length) {
		if (kr == KERN_SUCCESS)
			vm_deallocate(mach_task_self(), data, count);
		mach_printf("ext2fs: reading the disk at %lu failed: %s\n", offset,
			    kr != KERN_SUCCESS ? mach_error_name(kr) : "a short read");
		return FS_IO_ERROR;
	}
	for (uint64_t at = 0; at < length; at += PAGE) {
		unsigned slot = i;
		if (at != 0 && take_slot(&slot) != KERN_SUCCESS)
			break;
		disk.page[slot] = (struct cached){ .offset = offset + at, .valid = true,
						   .used = disk.clock };
		memcpy(disk.data[slot], (const uint8_t *)data + at,
		       length - at < PAGE ? length - at : PAGE);
	}
	vm_deallocate(mach_task_self(), data, count);
	disk.stats.reads++;
	return KERN_SUCCESS;
}

/* The cache page holding the disk's page at offset, read in unless whole
 * (the caller writes all of it). */
static kern_return_t page_get(uint64_t offset, bool whole, unsigned *index)
{
	unsigned i = lookup(offset);

	if (i != CACHE_PAGES) {
		disk.page[i].used = ++disk.clock;
		disk.stats.hits++;
		*index = i;
		return KERN_SUCCESS;
	}
	kern_return_t kr = take_slot(&i);
	if (kr != KERN_SUCCESS)
		return kr;
	disk.page[i] = (struct cached){ .offset = offset, .used = ++disk.clock, .valid = whole };
	if (!whole && (kr = read_in(i, offset)) != KERN_SUCCESS)
		return kr;
	*index = i;
	return KERN_SUCCESS;
}

/* Copies between buf and the disk's bytes [offset, offset + length), a
 * page of the cache at a time: into buf, or from it (write: the pages
 * become dirty, and one written whole is not read first). */
static kern_return_t transfer(uint64_t offset, uint8_t *buf, size_t length, bool write)
{
	if (offset > disk.size || length > disk.size - offset)
		return FS_IO_ERROR;
	for (size_t done = 0; done < length;) {
		uint64_t at = offset + done;
		size_t within = at % PAGE, n = PAGE - within < length - done ? PAGE - within
									 : length - done;
		unsigned i;
		kern_return_t kr = page_get(at - within, write && n == PAGE, &i);
		if (kr != KERN_SUCCESS)
			return kr;
		if (write) {
			memcpy(disk.data[i] + within, buf + done, n);
			disk.page[i].dirty = true;
		} else {
			memcpy(buf + done, disk.data[i] + within, n);
		}
		done += n;
	}
	return KERN_SUCCESS;
}

static kern_return_t disk_read(void *cookie, uint64_t offset, void *buf, size_t length)
{
	(void)cookie;
	return transfer(offset, buf, length, false);
}

static kern_return_t disk_write(void *cookie, uint64_t offset, const void *buf, size_t length)
{
	(void)cookie;
	return transfer(offset, (uint8_t *)buf, length, true);   /* only read from */
}

static kern_return_t disk_flush(void *cookie)
{
	(void)cookie;
	for (unsigned i = 0; i < CACHE_PAGES; i++)
		if (disk.page[i].valid && write_back(i) != KERN_SUCCESS)
			return FS_IO_ERROR;
	if (blk_flush(disk.port) != KERN_SUCCESS)
		return FS_IO_ERROR;
	disk.stats.flushes++;
	return KERN_SUCCESS;
}

/* The disk registered as name, waited for while the driver starts. */
static kern_return_t find_disk(mach_port_t names, const char *name)
{
	for (unsigned waited = 0;; waited += 10) {
		if (bootstrap_look_up(names, (char *)name, &disk.port) == KERN_SUCCESS)
			return KERN_SUCCESS;
		if (waited >= DISK_WAIT_MS)
			return FS_NOT_FOUND;
		mach_sleep_ns(10 * MACH_NS_PER_MS);
	}
}

kern_return_t disk_open(mach_port_t names, const char *name, struct ext2_dev *dev,
			bool *read_only)
{
	uint32_t sector_size = 0;
	uint64_t sectors = 0;
	boolean_t ro = TRUE;
	kern_return_t kr = find_disk(names, name);

	if (kr == KERN_SUCCESS)
		kr = blk_info(disk.port, &sector_size, &sectors, &ro);
	if (kr != KERN_SUCCESS || PAGE % sector_size != 0) {
		mach_printf("ext2fs: no disk '%s': %s\n", name, mach_error_name(kr));
		return kr != KERN_SUCCESS ? kr : KERN_NOT_SUPPORTED;
	}
	disk.size = sectors * sector_size;
	*read_only = ro;
	*dev = (struct ext2_dev){ .size = disk.size, .read = disk_read, .write = disk_write,
				  .flush = disk_flush };
	return KERN_SUCCESS;
}

struct disk_stats disk_stats(void)
{
	return disk.stats;
}
