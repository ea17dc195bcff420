"""The packed layout of a posting row, read and written."""

import struct

from reports.search.postings import Entries


def test_a_posting_row_of_the_older_layout_reads_the_same_and_loses_its_heading_ids_when_rewritten():
    written = Entries()
    written.add(7, 0b001)
    written.add(9, 0b100)
    older = written.packed() + struct.pack("<I", 7)  # then came the revisions holding the gram in a heading
    added = Entries()
    added.add(11, 0b010)

    merged = Entries()
    merged.extend(older)
    merged.extend(added.packed())

    assert (list(merged.revisions), list(merged.masks)) == ([7, 9, 11], [0b001, 0b100, 0b010])
    assert merged.packed() == struct.pack("<I3I3H", 3, 7, 9, 11, 0b001, 0b100, 0b010)
