"""The gram postings: for every text of one to three characters, the revisions holding it and where.

A row of ``SearchPosting`` covers one gram and one block of ``BLOCK`` revision ids. Its
``entries`` are little-endian: the number *n* of revisions (32 bits), their ids (*n* × 32
bits), their code masks (*n* × 16 bits, one bit per code of ``reports.search.text``).
Decoding is a few ``array.frombytes`` calls, so a gram found in every one of tens of
thousands of reports costs a few dozen rows and a millisecond. Rows written before
2026-12 also carry, after the masks, the ids of the revisions holding the gram in a title or
heading (what the masks say too); reading ignores them, and a row's next write drops them.
"""

import sys
from array import array
from collections.abc import Iterable, Iterator

BLOCK = 1024
GRAM_LENGTHS = (1, 2, 3)
_SWAP = sys.byteorder != "little"


def block_of(revision_id: int) -> int:
    return revision_id // BLOCK


def grams(folded: str) -> Iterator[str]:
    """Every gram of ``folded`` (with repeats): its substrings of one to three characters without whitespace."""
    for run in folded.split():
        length = len(run)
        for size in GRAM_LENGTHS:
            for start in range(length - size + 1):
                yield run[start : start + size]


def gram_masks(texts: Iterable[tuple[int, str]]) -> dict[str, int]:
    """For ``(code, folded text)`` pairs, each gram with the mask of the codes it appears in."""
    masks: dict[str, int] = {}
    for code, folded in texts:
        bit = 1 << code
        for gram in set(grams(folded)):
            masks[gram] = masks.get(gram, 0) | bit
    return masks


def _array(kind: str, data: bytes) -> array:
    found = array(kind)
    found.frombytes(data)
    if _SWAP:
        found.byteswap()
    return found


def _bytes(found: array) -> bytes:
    if _SWAP:
        found = array(found.typecode, found)
        found.byteswap()
    return found.tobytes()


class Entries:
    """Revision ids and code masks of one posting row, or of many read together."""

    __slots__ = ("masks", "revisions")

    def __init__(self):
        self.revisions = array("I")
        self.masks = array("H")

    def add(self, revision_id: int, mask: int) -> None:
        self.revisions.append(revision_id)
        self.masks.append(mask)

    def extend(self, data: bytes) -> None:
        """Append the entries packed in ``data`` (a row's ``entries``)."""
        data = bytes(data)
        (count,) = _array("I", data[:4])
        self.revisions.extend(_array("I", data[4 : 4 + 4 * count]))
        self.masks.extend(_array("H", data[4 + 4 * count : 4 + 6 * count]))

    def packed(self) -> bytes:
        return b"".join(
            [
                _bytes(array("I", [len(self.revisions)])),
                _bytes(self.revisions),
                _bytes(self.masks),
            ]
        )

    def __len__(self) -> int:
        return len(self.revisions)
