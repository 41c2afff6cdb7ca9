"""Garbage-collector settings for a server holding thousands of long-lived WebSocket subscriptions.

With CPython's default thresholds (700, 10, 10) an event fanned out to thousands of subscribers keeps thousands of
executions in flight at once; young collections promote them, and the promotions soon trigger full collections,
which walk every live object (hundreds of thousands per thousand connections) in the middle of the fan-out. The
fan-out benchmark (bench/results/fanout.md) measured 0.4-0.6 s per full collection at 2,000 subscribers, several
per second. A larger first threshold lets short-lived objects die by reference counting before any collection sees
them, and freezing what startup built (schema, models, modules) keeps it out of every later full collection.
Cyclic garbage still gets collected, only in larger batches.
"""

from __future__ import annotations

import gc

from app import settings


def tune_for_long_lived_connections() -> None:
    """Called once the app has started (everything built at startup lives as long as the process)."""
    if settings.GC_GEN0_THRESHOLD <= 0:  # 0: keep the interpreter's defaults
        return
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(settings.GC_GEN0_THRESHOLD, max(gen1, 20), gen2)
