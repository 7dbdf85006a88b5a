/*
 * The message fuzzer: FUZZ_MESSAGES random and mutated messages from a
 * fixed seed, sent to ports of this task and to the kernel's host port,
 * with random names, dispositions, sizes, descriptors and out-of-line
 * regions.  Every message the kernel accepts is received and destroyed.
 * The kernel must stay up, answer every call with a code, and end with
 * as many ports, messages and heap blocks as it started with.
 */
#include "ipctest.h"

#define FUZZ_MESSAGES 100000
#define POOL 8

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static uint32_t below(uint32_t n)
{
	return (uint32_t)(rnd() % n);
}

static mach_port_t pool[POOL];
/* The memory random out-of-line regions point into: whole pages of their
 * own, since a flipped byte can set deallocate, and the kernel then
 * unmaps the pages a region covers; map_region maps them again. */
#define REGION_SIZE 8192u
#define REGION_ADDRESS 0x0000000200000000ull
static uint8_t *const region = (uint8_t *)REGION_ADDRESS;

static void map_region(void)
{
	vm_address_t at = REGION_ADDRESS;

	vm_deallocate(mach_task_self(), at, REGION_SIZE);
	vm_allocate(mach_task_self(), &at, REGION_SIZE, FALSE);
}
static mach_port_t name_array[8];

/* A name: mostly the pool's, sometimes a stale, random or special one. */
static mach_port_t any_name(void)
{
	switch (below(10)) {
	case 0:
		return MACH_PORT_NULL;
	case 1:
		return MACH_PORT_DEAD;
	case 2:
		return (mach_port_t)rnd();
	case 3:
		return pool[below(POOL)] ^ 1;   /* a stale generation of the index */
	case 4:
		return mach_host_self_;
	default:
		return pool[below(POOL)];
	}
}

static uint8_t any_disposition(void)
{
	return below(8) == 0 ? (uint8_t)rnd() : (uint8_t)(16 + below(6));
}

static void *any_address(uint32_t size)
{
	switch (below(6)) {
	case 0:
		return (void *)rnd();
	case 1:
		return (void *)0xffff800000000000ull;
	case 2:
		return NULL;
	default:
		return region + below(REGION_SIZE - (size < REGION_SIZE ? size : 0) + 1);
	}
}

/* Fills m with a random message of *size bytes. */
static void build(msg_buf_t *m, mach_msg_size_t *size)
{
	uint32_t ndesc = below(3) == 0 ? below(5) : 0;
	mach_msg_size_t len = 32 + (ndesc ? 8 + 16 * ndesc : 0) + 8 * below(8);

	for (mach_msg_size_t i = 0; i < len; i += 8)
		*(uint64_t *)(m->bytes + i) = rnd();
	m->h.msgh_bits = MACH_MSGH_BITS(any_disposition(), below(3) ? any_disposition() : 0) |
			 (ndesc ? MACH_MSGH_BITS_COMPLEX : 0);
	m->h.msgh_size = len;
	m->h.msgh_remote_slot = any_name();
	m->h.msgh_local_slot = below(2) ? any_name() : MACH_PORT_NULL;
	/* The host's ids, but not host_log (201), which would print noise. */
	m->h.msgh_id = below(4) == 0 ? (mach_msg_id_t)(202 + below(6)) : (mach_msg_id_t)rnd();
	if (ndesc) {
		mach_msg_body_t *body = (mach_msg_body_t *)(m->bytes + 32);
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(body + 1);
		body->msgh_descriptor_count = below(10) == 0 ? (uint32_t)rnd() : ndesc;
		for (uint32_t i = 0; i < ndesc; i++) {
			uint32_t kind = below(10) == 0 ? (uint32_t)rnd() & 0xff : below(3);
			if (kind == MACH_MSG_PORT_DESCRIPTOR) {
				d[i].port = (mach_msg_port_descriptor_t){
					.name = any_name(), .disposition = any_disposition(),
					.type = MACH_MSG_PORT_DESCRIPTOR };
			} else if (kind == MACH_MSG_OOL_DESCRIPTOR) {
				uint32_t sz = below(5) == 0 ? (uint32_t)rnd() : below(9000);
				d[i].out_of_line = (mach_msg_ool_descriptor_t){
					.address = any_address(sz), .size = sz,
					.copy = (uint8_t)below(3), .type = MACH_MSG_OOL_DESCRIPTOR };
			} else if (kind == MACH_MSG_OOL_PORTS_DESCRIPTOR) {
				for (int j = 0; j < 8; j++)
					name_array[j] = any_name();
				d[i].ool_ports = (mach_msg_ool_ports_descriptor_t){
					.address = below(4) ? (void *)name_array : any_address(32),
					.count = below(6) == 0 ? (uint32_t)rnd() : below(9),
					.disposition = any_disposition(),
					.type = MACH_MSG_OOL_PORTS_DESCRIPTOR };
			} else {
				d[i].type.type = (uint8_t)kind;
			}
		}
	}
	*size = len;
	if (below(20) == 0)   /* a send size that disagrees */
		*size = (mach_msg_size_t)below(MACH_MSG_SIZE_MAX + 64);
	if (below(50) == 0)   /* a flipped byte anywhere */
		m->bytes[below(len)] ^= (uint8_t)(1u << below(8));
}

/* Receives and destroys whatever the pool's ports hold. */
static void drain(void)
{
	static msg_buf_t m;

	for (int i = 0; i < POOL; i++)
		while (receive(pool[i], &m, sizeof(m), MACH_RCV_TIMEOUT, 0) == MACH_MSG_SUCCESS)
			mach_msg_destroy(&m.h);
}

/* Replaces pool names that no longer hold a receive right. */
static void refill(void)
{
	for (int i = 0; i < POOL; i++) {
		if (port_type(pool[i]) & MACH_PORT_TYPE_RECEIVE)
			continue;
		pool[i] = port_receive_send();
	}
}

/* Destroys every name of the space that was not in before[0..n). */
static void destroy_new_names(const mach_port_name_t *before, mach_msg_type_number_t n)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t count, tcount;

	if (mach_port_names(mach_task_self(), &names, &count, &types, &tcount) != KERN_SUCCESS)
		return;
	for (mach_msg_type_number_t i = 0; i < count; i++) {
		bool old = false;
		for (mach_msg_type_number_t j = 0; j < n && !old; j++)
			old = before[j] == names[i];
		if (!old)
			mach_port_destroy(mach_task_self(), names[i]);
	}
	vm_deallocate(mach_task_self(), (vm_address_t)names, count * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, tcount * sizeof(*types));
}

/* The kernel's memory counts, with ipctest's own resident pages counted
 * as free: they grow as it first touches its buffers, which is no leak. */
static struct host_memory_info memory(void)
{
	struct host_memory_info info = { 0 };
	mach_msg_type_number_t count = HOST_MEMORY_INFO_COUNT;
	uint64_t objects, pages = 0;

	host_info(mach_host_self_, HOST_MEMORY_INFO, (host_info_t)&info, &count);
	mach_task_memory(mach_task_self(), &objects, &pages);
	info.free_pages += pages;
	return info;
}

void test_fuzz(void)
{
	static mach_port_name_t before_names[4096];
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t n = 0, tn;
	static msg_buf_t m;

	mach_port_names(mach_task_self(), &names, &n, &types, &tn);
	if (n > 4096)
		n = 4096;
	memcpy(before_names, names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)names, n * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, tn * sizeof(*types));
	struct host_ipc_info ipc_before = ipc_counts();
	struct host_memory_info mem_before = memory();

	/* Random messages move send rights to the host's port too: enough
	 * references that the runner keeps one. */
	mach_port_mod_refs(mach_task_self(), mach_host_self_, MACH_PORT_RIGHT_SEND, 60000);
	for (int i = 0; i < POOL; i++)
		pool[i] = port_receive_send();
	unsigned accepted = 0, codes = 0;
	for (unsigned i = 0; i < FUZZ_MESSAGES; i++) {
		mach_msg_size_t size;
		if (i % 64 == 0)
			map_region();
		build(&m, &size);
		mach_msg_return_t mr = mach_msg(&m.h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
						0, 0, 0);
		if (mr == MACH_MSG_SUCCESS)
			accepted++;
		else if (mr >= MACH_SEND_IN_PROGRESS && mr <= MACH_SEND_INVALID_HEADER)
			codes++;
		if (i % 16 == 15) {
			drain();
			refill();
		}
	}
	drain();
	vm_deallocate(mach_task_self(), REGION_ADDRESS, REGION_SIZE);
	mach_port_urefs_t host_refs = port_refs(mach_host_self_, MACH_PORT_RIGHT_SEND);
	mach_port_mod_refs(mach_task_self(), mach_host_self_, MACH_PORT_RIGHT_SEND,
			   1 - (mach_port_delta_t)host_refs);
	for (int i = 0; i < POOL; i++)
		mach_port_destroy(mach_task_self(), pool[i]);
	destroy_new_names(before_names, n);
	diag("fuzz: %u messages, %u accepted, %u refused with a send error\n", FUZZ_MESSAGES,
	     accepted, codes);
	tap_ok(accepted + codes == FUZZ_MESSAGES, "fuzzed_messages_are_sent_or_refused_with_a_code");
	tap_ok(accepted > FUZZ_MESSAGES / 20 && codes > FUZZ_MESSAGES / 20,
	       "the_fuzzer_exercises_both_paths");
	struct host_ipc_info ipc_after = ipc_counts();
	tap_ok(ipc_counts_equal(&ipc_before, &ipc_after),
	       "after_the_fuzzer_the_kernel_holds_no_extra_port_or_message");
	struct host_memory_info mem_after = memory();
	int64_t blocks = (int64_t)(mem_after.kalloc_allocations - ipc_after.messages_cached -
				   ipc_after.copies_cached) -
			 (int64_t)(mem_before.kalloc_allocations - ipc_before.messages_cached -
				   ipc_before.copies_cached);
	tap_ok(blocks == 0, "after_the_fuzzer_kernel_heap_is_back_to_its_baseline");
	if (blocks != 0)
		diag("kernel heap blocks: %+ld (bytes %lu -> %lu)\n", blocks,
		     mem_before.kalloc_bytes, mem_after.kalloc_bytes);
	tap_ok(mem_after.free_pages + 2 >= mem_before.free_pages,
	       "after_the_fuzzer_free_pages_are_back");
}
