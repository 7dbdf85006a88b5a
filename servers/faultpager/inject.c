/*
 * The injection (faultpager.defs: inject, injected, peer): one at a
 * time, for every object.  The first `after` data_requests since it was
 * set are served well; from then on each message its mode names
 * misbehaves.  take decides for each message of the kernel's as it comes
 * (libpager's hooks), and the message's later steps ask what was
 * decided: the hooks supply_at (wrong_offset) and acknowledge (no_ack),
 * and the callbacks wrapped around mempager's store (read_page: error,
 * wrong_data; write_page: exit_writeback).  The pager is single-threaded
 * (libpager), so one message is served at a time.
 */
#include <memory_objectServer.h>

#include "faultpager.h"

/* drop's generator starts here at each inject: the same runs drop the
 * same requests. */
#define DROP_SEED 0x9e3779b97f4a7c15ull

static struct {
	unsigned mode;
	uint64_t arg;
	unsigned after;
	uint64_t requests;     /* data_requests taken since it was set */
	uint64_t misbehaved;   /* messages misbehaved on */
	uint64_t random;       /* drop's generator (xorshift64) */
} injection;

/* The message being served misbehaves (take's decision). */
static bool injecting;

/* cycle: the peer's object, mapped here. */
static vm_address_t peer_address;
static vm_size_t peer_size;

kern_return_t faultpager_set(unsigned mode, uint64_t arg, unsigned after)
{
	if (mode >= FAULTPAGER_MODES || (mode == FAULTPAGER_DELAY && arg > FAULTPAGER_DELAY_MAX_MS) ||
	    (mode == FAULTPAGER_DROP && arg > FAULTPAGER_DROP_ALL) ||
	    (mode == FAULTPAGER_ERROR && arg > INT32_MAX))
		return KERN_INVALID_VALUE;
	injection.mode = mode;
	injection.arg = arg;
	injection.after = after;
	injection.requests = 0;
	injection.misbehaved = 0;
	injection.random = DROP_SEED;
	return KERN_SUCCESS;
}

/* Whether the injection's mode acts on messages of id. */
static bool concerns(unsigned mode, mach_msg_id_t id)
{
	switch (mode) {
	case FAULTPAGER_NONE:
		return false;
	case FAULTPAGER_HANG:
		return true;
	case FAULTPAGER_EXIT_WRITEBACK:
	case FAULTPAGER_NO_ACK:
		return id == MSGID_memory_object_data_return;
	default:
		return id == MSGID_memory_object_data_request;
	}
}

/* drop: whether this request goes, arg times in 1000. */
static bool drop_this_one(void)
{
	uint64_t x = injection.random;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	injection.random = x;
	return x % FAULTPAGER_DROP_ALL < injection.arg;
}

static __attribute__((noreturn)) void exit_now(const char *when)
{
	mach_printf("faultpager: exiting %s, as injected\n", when);
	task_terminate(mach_task_self());
	for (;;)
		;
}

/* Reads the word at offset of the memory at address (size bytes), if any. */
static void read_word(vm_address_t address, vm_size_t size, vm_offset_t offset)
{
	if (address != 0 && size != 0)
		(void)*(volatile uint64_t *)(address + offset % size);
}

/*
 * self_deadlock: reads the page the kernel asks for through a mapping of
 * the object in the pager's own task.  The kernel holds that page for
 * the pager to supply, so the pager's own fault waits on itself: a
 * waits-for cycle of one task, which the object's policy breaks or
 * (under wait) keeps.
 */
static void read_own(struct pager_object *obj, vm_offset_t offset)
{
	mach_port_t port = pager_port(obj);
	vm_address_t address = 0;

	if (mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND) !=
	    KERN_SUCCESS)
		return;
	kern_return_t kr = vm_map(mach_task_self(), &address, pager_size(obj), 0, TRUE, port, 0,
				  FALSE, VM_PROT_READ, VM_PROT_READ, VM_INHERIT_NONE);
	mach_port_deallocate(mach_task_self(), port);   /* the mapping holds the object */
	if (kr != KERN_SUCCESS)
		return;
	read_word(address, pager_size(obj), offset);
	vm_deallocate(mach_task_self(), address, pager_size(obj));
}

static bool take(struct pager_object *obj, mach_msg_id_t id, vm_offset_t offset)
{
	bool due = injection.requests >= injection.after;

	if (id == MSGID_memory_object_data_request)
		injection.requests++;
	injecting = due && concerns(injection.mode, id) &&
		    (injection.mode != FAULTPAGER_DROP || drop_this_one());
	if (!injecting)
		return true;
	injection.misbehaved++;
	switch (injection.mode) {
	case FAULTPAGER_DELAY:
		mach_sleep_ns(injection.arg * 1000000u);
		return true;
	case FAULTPAGER_HANG:
	case FAULTPAGER_DROP:
		return false;
	case FAULTPAGER_EXIT:
		exit_now("at a data_request");
	case FAULTPAGER_SELF_DEADLOCK:
		read_own(obj, offset);
		return true;
	case FAULTPAGER_CYCLE:
		read_word(peer_address, peer_size, offset);
		return true;
	default:
		return true;   /* it acts later in the message */
	}
}

/* wrong_offset: the page read for offset goes to the next one (the one
 * before, at the end of an object of several pages), which the kernel
 * did not ask for. */
static vm_offset_t supply_at(struct pager_object *obj, vm_offset_t offset)
{
	if (!injecting || injection.mode != FAULTPAGER_WRONG_OFFSET)
		return offset;
	return offset + PAGER_PAGE_SIZE < pager_size(obj) || offset == 0
		       ? offset + PAGER_PAGE_SIZE
		       : offset - PAGER_PAGE_SIZE;
}

/* no_ack: the pages are stored, and the kernel never hears so. */
static bool acknowledge(struct pager_object *obj)
{
	(void)obj;
	return !injecting || injection.mode != FAULTPAGER_NO_ACK;
}

const struct pager_hooks faultpager_hooks = {
	.take = take,
	.supply_at = supply_at,
	.acknowledge = acknowledge,
};

static kern_return_t read_page(void *cookie, vm_offset_t offset, void *page, const void **data)
{
	kern_return_t kr = mempager_store_ops.read_page(cookie, offset, page, data);

	if (!injecting || kr != KERN_SUCCESS)
		return kr;
	if (injection.mode == FAULTPAGER_ERROR)
		return injection.arg != 0 ? (kern_return_t)injection.arg : KERN_MEMORY_ERROR;
	if (injection.mode == FAULTPAGER_WRONG_DATA) {
		memcpy(page, *data, PAGER_PAGE_SIZE);
		*(uint64_t *)page ^= ~0ull;
		*data = page;
	}
	return KERN_SUCCESS;
}

static kern_return_t write_page(void *cookie, vm_offset_t offset, const void *page)
{
	if (injecting && injection.mode == FAULTPAGER_EXIT_WRITEBACK)
		exit_now("in the middle of a data_return");
	return mempager_store_ops.write_page(cookie, offset, page);
}

static void released(void *cookie)
{
	mempager_store_ops.released(cookie);
}

const struct pager_ops faultpager_ops = {
	.read_page = read_page,
	.write_page = write_page,
	.terminated = NULL,
	.released = released,
};

kern_return_t faultpager_S_inject(mach_port_t server, natural_t mode, uint64_t arg,
				  natural_t after)
{
	(void)server;
	return faultpager_set(mode, arg, after);
}

kern_return_t faultpager_S_injected(mach_port_t server, natural_t *mode, uint64_t *arg,
				    natural_t *after, uint64_t *requests, uint64_t *misbehaved)
{
	(void)server;
	*mode = injection.mode;
	*arg = injection.arg;
	*after = injection.after;
	*requests = injection.requests;
	*misbehaved = injection.misbehaved;
	return KERN_SUCCESS;
}

kern_return_t faultpager_S_peer(mach_port_t server, memory_object_t memory_object,
				vm_size_t size)
{
	vm_address_t address = 0;

	(void)server;
	if (memory_object == MACH_PORT_NULL)
		return KERN_INVALID_ARGUMENT;   /* vm_map would map zeros */
	kern_return_t kr = vm_map(mach_task_self(), &address, size, 0, TRUE, memory_object, 0,
				  FALSE, VM_PROT_READ, VM_PROT_READ, VM_INHERIT_NONE);
	if (kr != KERN_SUCCESS)
		return kr;
	if (peer_address != 0)
		vm_deallocate(mach_task_self(), peer_address, peer_size);
	peer_address = address;
	peer_size = size;
	mach_port_deallocate(mach_task_self(), memory_object);
	return KERN_SUCCESS;
}
