/* The terminal's owner (owner.c). */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>

/* Whether term may take input or change the settings: the terminal has
 * no owner, or term is the owner port. */
bool owner_allows(mach_port_t term);

/* Whether a message on port, sent with a send-once right (msgh_bits'
 * local type), is a notification about the owner port: the kernel holds
 * the only send-once right to it, for the no-senders request. */
bool owner_notification(mach_port_t port, mach_msg_type_name_t sent_with);

/* Sends the owner the interrupts the line discipline counted. */
void owner_report(void);
