/*
 * The values of the block interface (idl/defs/blk.defs) that clients
 * need: the largest transfer one request may ask for.
 */
#pragma once

/* Bytes one blk_read or blk_write moves at most. */
#define BLK_TRANSFER_MAX (128u * 1024u)
