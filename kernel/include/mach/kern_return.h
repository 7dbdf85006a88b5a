/*
 * The one error space of Pagoda: every kernel call, every generated stub and
 * every server returns a kern_return_t.  The names and values are Mach's so
 * that readers of Mach code recognise them.  This header is the registry:
 * each code carries a one-line meaning, and a new code is added here and
 * nowhere else.  UNIX errno exists only in emul/ and libc/.
 *
 * Ranges:
 *   0 .. 0xff            kernel call results (KERN_*)
 *   0x10000000 ..        mach_msg send errors (MACH_SEND_*), added with IPC
 *   0x10004000 ..        mach_msg receive errors (MACH_RCV_*), added with IPC
 *   -300 .. -399         generated-stub errors (MIG_*)
 */
#pragma once

typedef int kern_return_t;

#define KERN_SUCCESS             0  /* the call did what it was asked */
#define KERN_INVALID_ADDRESS     1  /* address not valid in this address space */
#define KERN_PROTECTION_FAILURE  2  /* access not allowed by the protection */
#define KERN_NO_SPACE            3  /* no room in the address space or name space */
#define KERN_INVALID_ARGUMENT    4  /* an argument is out of range or malformed */
#define KERN_FAILURE             5  /* the operation failed for another reason */
#define KERN_RESOURCE_SHORTAGE   6  /* out of memory or another kernel resource */
#define KERN_NOT_RECEIVER        7  /* the caller does not hold the receive right */
#define KERN_NO_ACCESS           8  /* the caller lacks the privilege needed */
#define KERN_MEMORY_FAILURE      9  /* the memory object's data is gone */
#define KERN_MEMORY_ERROR       10  /* the pager reported an error for the data */
#define KERN_NOT_IN_SET         12  /* the port is not a member of that set */
#define KERN_NAME_EXISTS        13  /* the name already denotes a right */
#define KERN_ABORTED            14  /* the operation was interrupted */
#define KERN_INVALID_NAME       15  /* the name denotes no right */
#define KERN_INVALID_TASK       16  /* the target task is not a live task */
#define KERN_INVALID_RIGHT      17  /* the name denotes a right of the wrong kind */
#define KERN_INVALID_VALUE      18  /* a value is not one the call accepts */
#define KERN_UREFS_OVERFLOW     19  /* a user-reference count would overflow */
#define KERN_INVALID_CAPABILITY 20  /* the capability is not valid for the call */
#define KERN_RIGHT_EXISTS       21  /* the task already holds that right */
#define KERN_INVALID_HOST       22  /* the port is not a host port */
#define KERN_MEMORY_PRESENT     23  /* data is already resident for that page */
#define KERN_NOT_SUPPORTED      46  /* the object does not support the call */
#define KERN_OPERATION_TIMED_OUT 49 /* a deadline passed before completion */

/* Errors of generated stubs and servers (MIG's values). */
#define MIG_TYPE_ERROR        (-300) /* a field's type is not what was declared */
#define MIG_REPLY_MISMATCH    (-301) /* the reply's id does not match the request */
#define MIG_REMOTE_ERROR      (-302) /* the server returned an error */
#define MIG_BAD_ID            (-303) /* the server does not know the message id */
#define MIG_BAD_ARGUMENTS     (-304) /* sizes, counts or descriptors are malformed */
#define MIG_NO_REPLY          (-305) /* the server will not send a reply */
#define MIG_EXCEPTION         (-306) /* the server raised an exception */
#define MIG_ARRAY_TOO_LARGE   (-307) /* an array does not fit the caller's buffer */
#define MIG_SERVER_DIED       (-308) /* the server died before replying */
