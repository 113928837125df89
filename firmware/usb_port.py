"""The Pico's USB serial (the same stream as the REPL) as a non-blocking byte port.

``read(n)`` returns what is waiting (up to n bytes) or b"", never blocking; ``write``
sends a whole frame. The protocol is printable ASCII, so it never contains Ctrl-C (0x03)
and MicroPython's keyboard interrupt stays enabled for mpremote (`make flash`).
"""

import select
import sys


class StdioPort:
    def __init__(self, stdin=None, stdout=None):
        self.stdin = stdin if stdin is not None else sys.stdin
        self.stdout = stdout if stdout is not None else sys.stdout
        self.poller = select.poll()
        self.poller.register(self.stdin, select.POLLIN)
        self.inb = getattr(self.stdin, "buffer", self.stdin)
        self.outb = getattr(self.stdout, "buffer", self.stdout)

    def read(self, n=512):
        out = b""
        while len(out) < n and self.poller.poll(0):
            ch = self.inb.read(1)
            if not ch:
                break
            out += ch if isinstance(ch, bytes) else ch.encode()
        return out

    def write(self, data):
        self.outb.write(data)
