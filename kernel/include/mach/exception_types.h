/*
 * Exceptions: what exception_raise (idl/defs/exc.defs) tells a handler.
 * The kinds are Mach's values.  Each exception carries two 64-bit codes,
 * code[0] (the code) and code[1] (the subcode).
 *
 * How the kernel maps the x86 exceptions a user thread takes:
 *
 *   vector                 exception             code                      subcode
 *   #PF 14 page fault      EXC_BAD_ACCESS        why the VM could not   the address (CR2)
 *   (one the VM could not                        resolve it (vm_fault.h):
 *   resolve)                                     KERN_INVALID_ADDRESS
 *                                                (nothing mapped there),
 *                                                KERN_PROTECTION_FAILURE
 *                                                (access refused, or the
 *                                                kernel's half),
 *                                                KERN_MEMORY_ERROR (the
 *                                                pager's data_error),
 *                                                KERN_MEMORY_FAILURE (the
 *                                                pager died or destroyed
 *                                                the object),
 *                                                KERN_OPERATION_TIMED_OUT
 *                                                (the pager's deadline
 *                                                passed), KERN_DEADLOCK
 *                                                (a waits-for cycle),
 *                                                KERN_RESOURCE_SHORTAGE
 *   #GP 13, #SS 12         EXC_BAD_ACCESS        KERN_PROTECTION_FAILURE   0 (the CPU gives no
 *                                                                          address: a
 *                                                                          non-canonical one,
 *                                                                          or a privileged
 *                                                                          instruction)
 *   #AC 17 alignment       EXC_BAD_ACCESS        KERN_INVALID_ADDRESS      0
 *   #UD 6 invalid opcode   EXC_BAD_INSTRUCTION   6                         0
 *   #DE 0 divide error     EXC_ARITHMETIC        0                         0
 *   #MF 16, #XM 19 (x87,   EXC_ARITHMETIC        16 or 19                  the status (FSW or
 *   SSE floating point)                                                    MXCSR)
 *   #BP 3 (int3), #DB 1    EXC_BREAKPOINT        3 or 1                    DR6 for #DB, else 0
 *   any other vector       EXC_BAD_INSTRUCTION   the vector                the CPU's error code
 *
 * The thread's state (exception_raise's old_state) shows where: for #BP,
 * rip is past the int3 instruction.
 */
#pragma once

#include <mach/machine/vm_types.h>

typedef int exception_type_t;
typedef int64_t exception_data_type_t;
typedef exception_data_type_t *exception_data_t;

/* The codes of an exception: exception_data_t's bound in mach_types.defs. */
#define EXCEPTION_CODE_MAX 2

#define EXC_BAD_ACCESS      1 /* a memory access failed; code says why, subcode where */
#define EXC_BAD_INSTRUCTION 2 /* an instruction that is illegal or undefined here */
#define EXC_ARITHMETIC      3 /* divide error, or a floating-point exception */
#define EXC_EMULATION       4 /* an instruction to emulate (Mach's; not raised on x86_64) */
#define EXC_SOFTWARE        5 /* raised by software (the UNIX emulation's signals) */
#define EXC_BREAKPOINT      6 /* a breakpoint or a debug trap */
