/*
 * Message ids of the kernel's notifications (Mach's values).  A generated
 * user stub recognises MACH_NOTIFY_SEND_ONCE in place of its reply: the
 * server died holding the reply right, and the stub returns
 * MIG_SERVER_DIED.
 */
#pragma once

#define MACH_NOTIFY_FIRST           0100 /* base of the notification ids */
#define MACH_NOTIFY_PORT_DELETED    0101 /* a send or send-once right was deleted */
#define MACH_NOTIFY_PORT_DESTROYED  0105 /* a receive right was destroyed */
#define MACH_NOTIFY_NO_SENDERS      0106 /* a port has no more send rights */
#define MACH_NOTIFY_SEND_ONCE       0107 /* a send-once right died unused */
#define MACH_NOTIFY_DEAD_NAME       0110 /* a send right became a dead name */
#define MACH_NOTIFY_LAST            0177 /* end of the notification ids */
