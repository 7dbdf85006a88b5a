#!/usr/bin/env python3
"""The host's end of netbench (tests/unix/netbench.c), run by QEMU's
guestfwd for each connection, the connection on stdin and stdout.

  sink     reads to the end, answers the CRC-32 of it in hex
  source   sends 16 MiB of netbench's pattern
"""
import sys
import zlib

TOTAL = 16 << 20


def pattern():
    """Byte i is i * 7 + (i >> 12), mod 256: block k of 4096 bytes is the
    first block with k added to each byte (4096 * 7 is 0 mod 256)."""
    first = bytes((i * 7) & 0xff for i in range(4096))
    return b"".join(first.translate(bytes((b + k) & 0xff for b in range(256)))
                    for k in range(TOTAL >> 12))


def main():
    if sys.argv[1] == "sink":
        crc = 0
        while True:
            chunk = sys.stdin.buffer.read1(65536)
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
        sys.stdout.write("%08x\n" % crc)
        sys.stdout.flush()
    else:
        sys.stdout.buffer.write(pattern())
        sys.stdout.flush()


main()
