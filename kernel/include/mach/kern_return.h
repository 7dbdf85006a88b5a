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
 *   0x3000 .. 0x30ff     file-server results (FS_*), added with ext2fs
 *   0x3100 .. 0x31ff     process-server results (PROC_*)
 *   0x3200 .. 0x32ff     network-server results (NET_*), added with inet
 */
#pragma once

#ifndef __ASSEMBLER__
typedef int kern_return_t;
#endif

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
#define KERN_DEADLOCK           50 /* the wait could never end: a waits-for cycle */

/* File-server results (servers/ext2fs, docs/fs.md). */
#define FS_NOT_FOUND          0x3001 /* no file or directory has that name */
#define FS_NOT_DIRECTORY      0x3002 /* a name used as a directory is not one */
#define FS_IS_DIRECTORY       0x3003 /* the file is a directory, and the call needs another kind */
#define FS_NAME_TOO_LONG      0x3004 /* a name is longer than 255 bytes */
#define FS_LOOP               0x3005 /* too many symbolic links on the way */
#define FS_CORRUPT            0x3006 /* the file system's image is inconsistent there */
#define FS_IO_ERROR           0x3007 /* the disk failed to read or write */
#define FS_EXISTS             0x3008 /* the name is taken */
#define FS_NOT_EMPTY          0x3009 /* the directory has entries besides . and .. */
#define FS_NO_SPACE           0x300a /* no free block or inode is left */
#define FS_READ_ONLY          0x300b /* the file system may not be written */
#define FS_TOO_LARGE          0x300c /* the file would pass the largest size ext2 maps */
#define FS_TOO_MANY_LINKS     0x300d /* the inode has as many links as it may */
#define FS_INVALID_MOVE       0x300e /* a directory would move into itself, or . or .. would */
#define FS_ACCESS_DENIED      0x300f /* the credentials do not permit it */

/* Process-server results (servers/proc, idl/defs/proc.defs). */
#define PROC_NO_SUCH_PROCESS  0x3101 /* no process or process group has that id */
#define PROC_NOT_PERMITTED    0x3102 /* the caller may not do that to that process */
#define PROC_NO_CHILDREN      0x3103 /* no child matches the wait */
#define PROC_TOO_MANY         0x3104 /* the table, or the parent's children, are full */

/* Network-server results (servers/inet, idl/defs/socket.defs, inet.defs). */
#define NET_WOULD_BLOCK        0x3201 /* the socket cannot go on now; select says when */
#define NET_IN_PROGRESS        0x3202 /* a connection is being made */
#define NET_ALREADY            0x3203 /* a connect is already under way */
#define NET_ALREADY_CONNECTED  0x3204 /* the socket is connected */
#define NET_NOT_CONNECTED      0x3205 /* the socket has no peer */
#define NET_ADDRESS_IN_USE     0x3206 /* another socket has that address and port */
#define NET_ADDRESS_NOT_AVAILABLE 0x3207 /* no interface has that address */
#define NET_CONNECTION_REFUSED 0x3208 /* the peer refused the connection */
#define NET_CONNECTION_RESET   0x3209 /* the peer reset the connection */
#define NET_CONNECTION_ABORTED 0x320a /* the connection ended before it was accepted */
#define NET_HOST_UNREACHABLE   0x320b /* no route leads to the address */
#define NET_SHUT_DOWN          0x320c /* the socket was shut for that direction */
#define NET_MESSAGE_TOO_LONG   0x320d /* the datagram is larger than the protocol allows */
#define NET_NOT_SUPPORTED      0x320e /* the socket's type or protocol has no such operation */
#define NET_NO_SUCH_OPTION     0x320f /* the level has no such option */
#define NET_NAME_NOT_FOUND     0x3210 /* the name server knows no such host, or did not answer */
#define NET_NO_NAME_SERVER     0x3211 /* no name server is configured */
#define NET_TIMED_OUT          0x3212 /* the peer stopped answering */

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

/* mach_msg results (Mach's values).  MACH_MSG_SUCCESS is KERN_SUCCESS. */
#define MACH_MSG_SUCCESS             0x00000000 /* the message was sent and/or received */
#define MACH_SEND_IN_PROGRESS        0x10000001 /* internal: the send has not finished */
#define MACH_SEND_INVALID_DATA       0x10000002 /* the message buffer is not readable */
#define MACH_SEND_INVALID_DEST       0x10000003 /* the destination port is not a valid right */
#define MACH_SEND_TIMED_OUT          0x10000004 /* the send timeout passed; nothing was sent */
#define MACH_SEND_INTERRUPTED        0x10000007 /* the send was interrupted; nothing was sent */
#define MACH_SEND_MSG_TOO_SMALL      0x10000008 /* send_size is smaller than a header or msgh_size */
#define MACH_SEND_INVALID_REPLY      0x10000009 /* the reply port is not a valid right */
#define MACH_SEND_INVALID_RIGHT      0x1000000a /* a port right in the body is not valid */
#define MACH_SEND_INVALID_NOTIFY     0x1000000b /* the notify port is not valid */
#define MACH_SEND_INVALID_MEMORY     0x1000000c /* out-of-line memory is not readable */
#define MACH_SEND_NO_BUFFER          0x1000000d /* no kernel memory for the message */
#define MACH_SEND_TOO_LARGE          0x1000000e /* the message exceeds MACH_MSG_SIZE_MAX */
#define MACH_SEND_INVALID_TYPE       0x1000000f /* a descriptor or disposition is malformed */
#define MACH_SEND_INVALID_HEADER     0x10000010 /* the header's bits or size are malformed */
#define MACH_RCV_IN_PROGRESS         0x10004001 /* internal: the receive has not finished */
#define MACH_RCV_INVALID_NAME        0x10004002 /* rcv_name is not a receive right or port set */
#define MACH_RCV_TIMED_OUT           0x10004003 /* the receive timeout passed with no message */
#define MACH_RCV_TOO_LARGE           0x10004004 /* the message does not fit rcv_size */
#define MACH_RCV_INTERRUPTED         0x10004005 /* the receive was interrupted */
#define MACH_RCV_PORT_CHANGED        0x10004006 /* the port moved into a port set while waiting */
#define MACH_RCV_INVALID_NOTIFY      0x10004007 /* the notify port is not valid */
#define MACH_RCV_INVALID_DATA        0x10004008 /* the receive buffer is not writable */
#define MACH_RCV_PORT_DIED           0x10004009 /* the port was destroyed while waiting */
#define MACH_RCV_IN_SET              0x1000400a /* the port is in a set; receive from the set */
#define MACH_RCV_HEADER_ERROR        0x1000400b /* the header could not be copied out */
#define MACH_RCV_BODY_ERROR          0x1000400c /* the body could not be copied out */
