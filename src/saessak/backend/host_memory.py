"""Keep freed host memory for reuse instead of handing it back to the OS after every training step.

Training allocates the same large temporaries every step (im2col columns, an LSTM's gate activations,
gradients). glibc's malloc serves blocks from 128 KiB up with fresh ``mmap`` pages, or trims them off the
heap when freed, so each step pays one page fault per 4 KiB touched: about 2,300 faults, a quarter of
an LSTM or LeNet step's time here. Raising glibc's mmap and trim thresholds keeps those blocks in the heap
for the next step, as the caching allocators of other frameworks do. Peak memory is unchanged (it is set
by the largest step); what changes is that memory freed between steps stays with the process.

Set ``SAESSAK_MALLOC_TUNING=0`` before importing saessak to leave malloc as it is.
"""

from __future__ import annotations

import ctypes
import os
import platform

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 64 * 1024 * 1024  # blocks above this (whole datasets) still get their own mapping
TRIM_THRESHOLD = 256 * 1024 * 1024

tuned = False


def tune_malloc() -> bool:
    """Raise glibc's mmap/trim thresholds once; returns whether they are set (False off glibc, or opted out)."""
    global tuned
    if tuned:
        return True
    if os.environ.get("SAESSAK_MALLOC_TUNING", "1") == "0" or platform.system() != "Linux":
        return False
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        tuned = bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
            libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    except (OSError, AttributeError):
        tuned = False
    return tuned
