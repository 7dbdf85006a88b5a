#include "arch/x86_64/pit.h"

#include "arch/x86_64/cpu.h"

#define PIT_CH0  0x40
#define PIT_CMD  0x43
#define PIT_MODE_RATE 0x34  /* channel 0, lobyte/hibyte, mode 2 */
#define PIT_LATCH_CH0 0x00

unsigned pit_init(unsigned hz)
{
	unsigned divisor = (PIT_HZ + hz / 2) / hz;

	outb(PIT_CMD, PIT_MODE_RATE);
	outb(PIT_CH0, divisor & 0xff);
	outb(PIT_CH0, divisor >> 8);
	return divisor;
}

unsigned pit_read_count(void)
{
	outb(PIT_CMD, PIT_LATCH_CH0);
	unsigned lo = inb(PIT_CH0);
	return lo | (unsigned)inb(PIT_CH0) << 8;
}
