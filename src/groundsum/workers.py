"""What a pool worker process does first, whether the server's or a batch's."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading


def follow_parent() -> None:
    """Leave Ctrl-C to the parent process, and end this worker as soon as the parent dies, even by SIGKILL.

    A pool's queues keep their pipes open in every worker, so an orphaned worker would never see
    end-of-file and would wait for jobs, holding its model, forever; the parent's sentinel does close.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, name="exit-with-parent", daemon=True).start()


def _exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(1)
