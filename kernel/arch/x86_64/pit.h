/* The 8254 interval timer, channel 0, as the periodic tick on IRQ 0. */
#pragma once

void pit_init(unsigned hz);
