"""Sets of roster positions as Python ints (bit i = the counselor at position i), and counting on them.

Python's big-int AND/OR/XOR run in C over machine words, so one operation handles 64 counselors at a time.
This is what lets the engine rank tens of thousands of counselors without a Python loop per counselor.
"""

from collections.abc import Iterable, Iterator


def from_positions(positions: Iterable[int], size: int) -> int:
    bitmap = bytearray((size + 7) // 8)
    for position in positions:
        bitmap[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(bitmap, "little")


def positions_of(bits: int) -> Iterator[int]:
    """Set positions, lowest first."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


class BitCounter:
    """A counter per position, stored bit-sliced: `planes[j]` holds bit j of every position's count."""

    def __init__(self) -> None:
        self.planes: list[int] = []

    def add(self, where: int, amount: int) -> None:
        """Add `amount` (>= 0) to the count of every position in `where`."""
        shift = 0
        while amount:
            if amount & 1:
                self._add_at(where, shift)
            amount >>= 1
            shift += 1

    def _add_at(self, carry: int, plane: int) -> None:
        planes = self.planes
        while carry:
            while plane >= len(planes):
                planes.append(0)
            current = planes[plane]
            planes[plane] = current ^ carry
            carry &= current
            plane += 1

    def value_at(self, position: int) -> int:
        return sum(((plane >> position) & 1) << j for j, plane in enumerate(self.planes))


def best(within: int, n: int, *counters: BitCounter) -> list[int]:
    """Up to `n` positions from `within`, ranked by the counters in order (each higher first), then lowest position."""
    planes = [plane for counter in counters for plane in reversed(counter.planes)]
    chosen: list[int] = []
    remaining = within
    while remaining and len(chosen) < n:
        top = remaining
        for plane in planes:
            narrowed = top & plane
            if narrowed:
                top = narrowed
        low = top & -top
        chosen.append(low.bit_length() - 1)
        remaining ^= low
    return chosen
