"""Rate limits count in fixed windows that start on the clock (failshare/ratelimit.py): a test
that counts to a limit must not straddle the end of one."""

import time


def wait_for_a_fresh_window(period: int, *, seconds_needed: float = 10.0) -> None:
    """Sleep into the next window of ``period`` seconds if this one ends within
    ``seconds_needed``."""
    left = period - time.time() % period
    if left < seconds_needed:
        time.sleep(left + 0.05)
