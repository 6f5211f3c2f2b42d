"""Sets of positions as ints, bit-sliced counters and the ranking read off them, against plain Python."""

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.matching.bitsets import BitCounter, best, from_positions, positions_of

SIZE = 150  # more than two 64-bit words
positions = st.sets(st.integers(0, SIZE - 1))
additions = st.lists(st.tuples(positions, st.integers(0, 300)), max_size=8)


@settings(max_examples=settings().max_examples)
@given(chosen=positions)
def test_a_set_of_positions_round_trips_through_its_bits(chosen: set[int]) -> None:
    bits = from_positions(chosen, SIZE)
    assert bits == sum(1 << p for p in chosen)
    assert list(positions_of(bits)) == sorted(chosen)


@settings(max_examples=settings().max_examples)
@given(added=additions)
def test_a_bit_sliced_counter_counts_like_a_list_of_numbers(added: list[tuple[set[int], int]]) -> None:
    counter, plain = BitCounter(), [0] * SIZE
    for where, amount in added:
        counter.add(from_positions(where, SIZE), amount)
        for p in where:
            plain[p] += amount
    assert [counter.value_at(p) for p in range(SIZE)] == plain


@settings(max_examples=settings().max_examples)
@given(within=positions, first=additions, second=additions, n=st.integers(0, 12))
def test_best_ranks_by_each_counter_in_turn_then_by_lowest_position(
    within: set[int], first: list[tuple[set[int], int]], second: list[tuple[set[int], int]], n: int
) -> None:
    counters = []
    for added in (first, second):
        counter = BitCounter()
        for where, amount in added:
            counter.add(from_positions(where, SIZE), amount)
        counters.append(counter)
    expected = sorted(within, key=lambda p: (-counters[0].value_at(p), -counters[1].value_at(p), p))[:n]
    assert best(from_positions(within, SIZE), n, *counters) == expected
