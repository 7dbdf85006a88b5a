/* Valid calls of every routine of rt.defs, for the fuzz corpus. */
#pragma once

/* Calls every routine once with valid arguments. */
void rt_exercise(void);
