/* The block interface's routines (idl/defs/blk.defs); see disk.h. */
#include "disk.h"

#include <blkServer.h>

/* The checks of a transfer of length bytes at offset on d. */
static kern_return_t check_range(const struct disk *d, uint64_t offset, uint64_t length)
{
	if (length == 0 || length > BLK_TRANSFER_MAX || offset % SECTOR || length % SECTOR)
		return KERN_INVALID_ARGUMENT;
	uint64_t size = d->sectors * SECTOR;
	if (offset > size || length > size - offset)
		return KERN_INVALID_ADDRESS;
	return KERN_SUCCESS;
}

kern_return_t blk_S_info(mach_port_t disk, uint32_t *sector_size, uint64_t *sectors,
			 boolean_t *read_only)
{
	struct disk *d = disk_of(disk);

	if (d == NULL)
		return KERN_INVALID_ARGUMENT;
	*sector_size = SECTOR;
	*sectors = d->sectors;
	*read_only = d->read_only;
	return KERN_SUCCESS;
}

/* Queues a request of kind; on success the reply comes later. */
static kern_return_t queue(struct disk *d, enum request_kind kind, mach_port_t reply,
			   uint64_t offset, uint32_t length, vm_address_t data)
{
	struct request *r = request_alloc(d);

	if (r == NULL)
		return KERN_RESOURCE_SHORTAGE;
	r->kind = kind;
	r->reply = reply;
	r->offset = offset;
	r->length = length;
	r->data = data;
	disk_submit(r);
	return MIG_NO_REPLY;
}

kern_return_t blk_S_read(mach_port_t disk, mach_port_t reply, uint64_t offset, uint32_t length,
			 vm_offset_t *data, mach_msg_type_number_t *dataCnt)
{
	struct disk *d = disk_of(disk);
	kern_return_t kr = d == NULL ? KERN_INVALID_ARGUMENT : check_range(d, offset, length);

	(void)data;
	(void)dataCnt;
	if (kr != KERN_SUCCESS)
		return kr;
	return queue(d, REQ_READ, reply, offset, length, 0);
}

kern_return_t blk_S_write(mach_port_t disk, mach_port_t reply, uint64_t offset,
			  vm_offset_t data, mach_msg_type_number_t dataCnt)
{
	struct disk *d = disk_of(disk);
	kern_return_t kr = d == NULL ? KERN_INVALID_ARGUMENT : check_range(d, offset, dataCnt);

	if (kr == KERN_SUCCESS && d->read_only)
		kr = KERN_PROTECTION_FAILURE;
	if (kr != KERN_SUCCESS)
		return kr;   /* the demux's caller destroys the data */
	return queue(d, REQ_WRITE, reply, offset, dataCnt, data);
}

kern_return_t blk_S_flush(mach_port_t disk, mach_port_t reply)
{
	struct disk *d = disk_of(disk);

	if (d == NULL)
		return KERN_INVALID_ARGUMENT;
	/* A device without a write cache (no FLUSH feature) has put every
	 * answered write on stable storage already. */
	if (!d->can_flush)
		return KERN_SUCCESS;
	return queue(d, REQ_FLUSH, reply, 0, 0, 0);
}
