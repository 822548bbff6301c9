"""``saessak.set_num_threads`` / ``get_num_threads``: the threads of the BLAS under NumPy (as in PyTorch).

saessak's arithmetic runs in NumPy; its matrix products run in the BLAS NumPy links (OpenBLAS, MKL...),
whose thread pool is set through threadpoolctl, the standard tool for it.
"""

from __future__ import annotations

_limits: list = []


def set_num_threads(n: int) -> None:
    """Use ``n`` threads for matrix products (the BLAS pool), from now on."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise RuntimeError(f"set_num_threads expects a positive integer, got {n!r}")
    from threadpoolctl import threadpool_limits

    _limits[:] = [threadpool_limits(limits=n, user_api="blas")]  # kept: the limit lasts until changed


def get_num_threads() -> int:
    """The number of threads the BLAS uses for matrix products."""
    from threadpoolctl import threadpool_info

    counts = [pool["num_threads"] for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return max(counts) if counts else 1
