/*
 * What a debugger needs of the kernel that C leaves out of the debug
 * information: the values of macros, and enum types no variable is
 * declared with.  GDB's extension (scripts/gdb/, docs/debugging.md)
 * reads them from here by name, so it follows the headers rather than
 * keeping copies of them.  debugger_types is never read by the kernel.
 */
#include <mach/memory_object.h>
#include <mach/message.h>
#include <mach/vm_info.h>
#include <mach/vm_prot.h>

#include "arch/x86_64/layout.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_space.h"
#include "kern/thread.h"
#include "vm/vm_resident.h"

enum debugger_constant {
	DEBUGGER_KERNEL_STACK_SIZE = KERNEL_STACK_SIZE,
	DEBUGGER_IPC_NAME_GEN_BITS = IPC_NAME_GEN_BITS,
	DEBUGGER_IPC_SPACE_MAX = IPC_SPACE_MAX,
	DEBUGGER_IPC_ENTRY_SEND = IPC_ENTRY_SEND,
	DEBUGGER_IPC_ENTRY_RECEIVE = IPC_ENTRY_RECEIVE,
	DEBUGGER_IPC_ENTRY_SEND_ONCE = IPC_ENTRY_SEND_ONCE,
	DEBUGGER_IPC_ENTRY_PORT_SET = IPC_ENTRY_PORT_SET,
	DEBUGGER_IPC_ENTRY_DEAD_NAME = IPC_ENTRY_DEAD_NAME,
	DEBUGGER_IPC_ENTRY_DNREQUEST = IPC_ENTRY_DNREQUEST,
	DEBUGGER_MACH_MSGH_BITS_COMPLEX = MACH_MSGH_BITS_COMPLEX,
	DEBUGGER_MACH_MSGH_BITS_LOCAL_MASK = MACH_MSGH_BITS_LOCAL_MASK,
	DEBUGGER_MACH_MSG_TYPE_PORT_SEND_ONCE = MACH_MSG_TYPE_PORT_SEND_ONCE,
	DEBUGGER_VM_PROT_READ = VM_PROT_READ,
	DEBUGGER_VM_PROT_WRITE = VM_PROT_WRITE,
	DEBUGGER_VM_PROT_EXECUTE = VM_PROT_EXECUTE,
	DEBUGGER_VM_INHERIT_SHARE = VM_INHERIT_SHARE,
	DEBUGGER_VM_INHERIT_COPY = VM_INHERIT_COPY,
	DEBUGGER_VM_INHERIT_NONE = VM_INHERIT_NONE,
	DEBUGGER_VM_PAGER_POLICY_FAIL = VM_PAGER_POLICY_FAIL,
	DEBUGGER_VM_PAGER_POLICY_WAIT = VM_PAGER_POLICY_WAIT,
	DEBUGGER_VM_PAGER_POLICY_RETRY = VM_PAGER_POLICY_RETRY,
	DEBUGGER_VM_PAGER_POLICY_ZERO = VM_PAGER_POLICY_ZERO,
	DEBUGGER_VM_PAGER_POLICY_FALLBACK = VM_PAGER_POLICY_FALLBACK,
	DEBUGGER_VM_PAGER_WAIT_DATA = VM_PAGER_WAIT_DATA,
	DEBUGGER_VM_PAGER_WAIT_READY = VM_PAGER_WAIT_READY,
	DEBUGGER_VM_PAGER_WAIT_UNLOCK = VM_PAGER_WAIT_UNLOCK,
	DEBUGGER_VM_PAGER_WAIT_HELD = VM_PAGER_WAIT_HELD,
	DEBUGGER_VM_PAGER_WAIT_REPLACE = VM_PAGER_WAIT_REPLACE,
	DEBUGGER_VM_PAGE_ABSENT = VM_PAGE_ABSENT,
};

/* Keeps the types above in the debug information. */
struct debugger_types {
	enum debugger_constant constant;
	enum thread_state thread_state;
	enum ipc_kotype kotype;
};
__attribute__((used)) static const struct debugger_types debugger_types;
