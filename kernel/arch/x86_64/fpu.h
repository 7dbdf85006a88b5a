/*
 * The x87 FPU and SSE.  The kernel itself is built without SSE; user
 * programs (newlib's printf among them) use it, so it is enabled here and
 * its state is saved per thread once threads exist.
 */
#pragma once

void fpu_init(void);
