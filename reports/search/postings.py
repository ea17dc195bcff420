"""The gram postings: for every text of one to three characters, the revisions holding it and where.

A row of ``SearchPosting`` covers one gram and one block of ``BLOCK`` revision ids. Its
``entries`` are two packed little-endian arrays of the same length: the revision ids (32
bits each), then the code masks (16 bits each, one bit per code of ``reports.search.text``).
Decoding is two ``array.frombytes`` calls, so a gram found in every one of tens of
thousands of reports costs a few dozen rows and well under a millisecond to read.
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


class Entries:
    """Revision ids and code masks of one posting row, or of many rows read together."""

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
        count = len(data) // 6
        revisions, masks = array("I"), array("H")
        revisions.frombytes(data[: 4 * count])
        masks.frombytes(data[4 * count :])
        if _SWAP:
            revisions.byteswap()
            masks.byteswap()
        self.revisions.extend(revisions)
        self.masks.extend(masks)

    def packed(self) -> bytes:
        revisions, masks = array("I", self.revisions), array("H", self.masks)
        if _SWAP:
            revisions.byteswap()
            masks.byteswap()
        return revisions.tobytes() + masks.tobytes()

    def __len__(self) -> int:
        return len(self.revisions)
