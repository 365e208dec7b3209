"""The full export reads rows with their keys already sorted (storage/full.row_batches(sorted_keys=True))
and encodes them without sorting: the same text as the canonical encoding of the rows as stored."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from recoverylog.clock import FixedClock
from recoverylog.exports.envelope import canonical, row_encoder
from recoverylog.storage.db import open_store
from recoverylog.storage.full import TABLES, row_batches
from summary_seed import seed_person

CELLS = st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1), st.floats(allow_nan=False, allow_infinity=False),
                  st.text(max_size=8))


@given(st.dictionaries(st.text(max_size=6), CELLS, max_size=12))
def test_a_row_with_sorted_keys_encodes_unsorted_to_the_canonical_text(row):
    presorted = dict(sorted(row.items()))
    assert row_encoder(sort_keys=False, compact=True)([presorted]).encode("utf-8") == canonical([row])


def test_sorted_reads_are_the_same_rows(cli, tmp_path: Path):
    from datetime import UTC, datetime

    db = tmp_path / "j.db"
    seed_person(cli, db, used_on=(2,), skip=(4,))
    cli("--db", str(db), "plan", "add", "triggers", "payday", ok=True)
    store = open_store(db, FixedClock(datetime(2026, 11, 21, 10, tzinfo=UTC)))
    try:
        for table in TABLES:
            plain = [r for batch in row_batches(store, table, size=3) for r in batch]
            ordered = [r for batch in row_batches(store, table, size=3, sorted_keys=True) for r in batch]
            assert ordered == plain
            assert all(list(r) == sorted(r) for r in ordered)
    finally:
        store.close()
