/*
 * The C side of the network interfaces' types (idl/defs/net.defs,
 * net_input.defs): a card's hardware address and an Ethernet frame
 * (without its check sequence), at most NET_FRAME_MAX bytes.
 */
#pragma once

#include <mach/std_types.h>

#define NET_ADDRESS_SIZE 6
#define NET_FRAME_MAX 1514

typedef uint8_t *net_address_t;   /* NET_ADDRESS_SIZE bytes */
typedef uint8_t *net_frame_t;
