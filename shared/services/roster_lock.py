"""The one retry policy for writes under the roster-version lock.

A write that depends on the roster (stored suggestions, an assignment taking a slot, a counselor saved, a
rating) names the roster version it read; the store refuses it with RosterChanged when another roster
change landed first. The use case tries again, after `before_retry` (matching again on the new roster,
say), up to ATTEMPTS times, then gives up with RosterBusy: one error, whichever write it was.
"""

from collections.abc import Callable

from shared.domain.errors import RosterBusy
from shared.services.ports import RosterChanged

ATTEMPTS = 5


def while_roster_changes[T](write: Callable[[], T], before_retry: Callable[[], None] | None = None) -> T:
    for attempt in range(ATTEMPTS):
        try:
            return write()
        except RosterChanged:
            if before_retry is not None and attempt + 1 < ATTEMPTS:
                before_retry()
    raise RosterBusy()
