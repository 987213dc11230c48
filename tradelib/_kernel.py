"""The notebooks' kernel for ``tradelib report``: ipykernel, with its shutdown race kept off the command's stderr.

``python -m tradelib._kernel -f CONNECTION_FILE`` does what ``python -m ipykernel_launcher`` does, after one
change: ipykernel sometimes flushes its stderr after its sockets have closed at shutdown and logs "Uncaught
exception in ZMQStream callback ... Socket operation on non-socket" through tornado's logger, onto the stderr the
kernel shares with ``tradelib report`` (seen once in CI, after every cell had run). That logger is set to CRITICAL;
an error inside a cell still reaches the report as the cell's error, and the kernel's own log is unchanged.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path


def main() -> None:
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]  # as ipykernel_launcher: the kernel adds the working folder back itself
    logging.getLogger("tornado.general").setLevel(logging.CRITICAL)
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
