"""The notebooks' kernel for ``tradelib report``: ipykernel, with its process stderr kept off the command's.

``python -m tradelib._kernel -f CONNECTION_FILE`` does what ``python -m ipykernel_launcher`` does, after two
changes. ipykernel's shutdown races write to the stderr the kernel process shares with ``tradelib report``, after
every cell has run: a Python log line ("Uncaught exception in ZMQStream callback ... Socket operation on
non-socket") and a C assertion from libzmq ("Assertion failed: pfd.revents & POLLIN"), each seen once in CI. So
tornado's logger is set to CRITICAL, and when ``TRADELIB_KERNEL_STDERR`` names a file (the command sets it in the
kernelspec) the process's file descriptor 2 is sent there; the command shows that file's end only when a notebook
fails. What cells write to stderr still reaches the notebook through ipykernel, and an error in a cell is the
cell's error in the report.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path


def main() -> None:
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]  # as ipykernel_launcher: the kernel adds the working folder back itself
    logging.getLogger("tornado.general").setLevel(logging.CRITICAL)
    log = os.environ.get("TRADELIB_KERNEL_STDERR")
    if log:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
