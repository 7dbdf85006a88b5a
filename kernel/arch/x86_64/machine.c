#include "arch/x86_64/machine.h"

#include "arch/x86_64/cpu.h"

#define DEBUG_EXIT_PORT 0xf4
/* PIIX4 ACPI PM1a control, as SeaBIOS sets it up on QEMU's pc machine. */
#define ACPI_PM1A_CNT   0x604
#define ACPI_SLP_EN_S5  0x2000

void machine_stop(enum machine_status status)
{
	cpu_disable_interrupts();
	outb(DEBUG_EXIT_PORT, (uint8_t)status);
	if (status == MACHINE_SUCCESS)
		outw(ACPI_PM1A_CNT, ACPI_SLP_EN_S5);
	for (;;)
		cpu_halt();
}
