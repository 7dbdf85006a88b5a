/*
 * sbrk, for newlib's malloc: the heap is one region of UNIX_HEAP_MAX
 * bytes reserved (zero-filled as touched) at the first call, the break
 * moving inside it.  Used by the UNIX server too, which is why it needs
 * nothing but the kernel.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <mach/mach.h>

#define UNIX_HEAP_MAX (256ull << 20)

static uintptr_t heap_base, heap_break;

void *sbrk(ptrdiff_t increment)
{
	if (heap_base == 0) {
		vm_address_t base = 0;
		if (vm_allocate(mach_task_self(), &base, UNIX_HEAP_MAX, TRUE) != KERN_SUCCESS) {
			errno = ENOMEM;
			return (void *)-1;
		}
		heap_base = heap_break = base;
	}
	uintptr_t old = heap_break;
	if ((increment > 0 && (uintptr_t)increment > heap_base + UNIX_HEAP_MAX - old) ||
	    (increment < 0 && (uintptr_t)-increment > old - heap_base)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	heap_break = old + (uintptr_t)increment;
	return (void *)old;
}
