/*
 * The two cascaded 8259 interrupt controllers, remapped to vectors 32..47.
 * Every line starts masked; irq_register unmasks the lines that have a
 * handler.
 */
#pragma once

#include <stdbool.h>

void pic_init(void);
void pic_unmask(unsigned irq);
void pic_mask(unsigned irq);
void pic_eoi(unsigned irq);
/* The line has raised an interrupt the CPU has not yet taken. */
bool pic_irq_pending(unsigned irq);
/* IRQ 7 and 15 may fire with nothing in service; those get no EOI. */
bool pic_is_spurious(unsigned irq);
