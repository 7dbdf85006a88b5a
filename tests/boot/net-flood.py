#!/usr/bin/env python3
"""A hostile host against the guest's httpd (tests/boot/network.sh):
connections opened and left silent (half-open requests), garbage, and
transfers reset midway, all bounded in count and time.  It keeps the
silent connections open until told to let go (a line on stdin), so that
the test can fetch a file while they are held.

usage: net-flood.py PORT
"""
import os
import socket
import struct
import sys
import time

SILENT = 48      # connections that never send a byte
GARBAGE = 32     # connections that send random bytes, then close
RESETS = 16      # GETs of the big file reset after its first bytes
DEADLINE = 30    # seconds the whole flood may take


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.settimeout(5)
    return s


def main():
    port = int(sys.argv[1])
    start = time.monotonic()
    silent = []
    for _ in range(SILENT):
        try:
            silent.append(connect(port))
        except OSError:
            pass   # refused or timed out past the server's limits: allowed
    garbage_sent = 0
    for i in range(GARBAGE):
        if time.monotonic() - start > DEADLINE:
            break
        try:
            s = connect(port)
            s.sendall(os.urandom(64 + 97 * i) + (b"\r\n\r\n" if i % 2 else b""))
            try:
                s.recv(4096)
            except OSError:
                pass
            s.close()
            garbage_sent += 1
        except OSError:
            pass
    resets = 0
    for _ in range(RESETS):
        if time.monotonic() - start > DEADLINE:
            break
        try:
            s = connect(port)
            s.sendall(b"GET /big HTTP/1.0\r\n\r\n")
            s.recv(1000)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()
            resets += 1
        except OSError:
            pass
    print("flood: %d silent held, %d garbage, %d reset, %.1f s"
          % (len(silent), garbage_sent, resets, time.monotonic() - start), flush=True)
    sys.stdin.readline()
    for s in silent:
        s.close()


main()
