"""Search over published reports: the index, the engine, and what residents mean by what they type.

- ``text``: a revision's passages by code (title, front matter, heading and text of each
  statutory part) and folding (NFKC and case, same length).
- ``indexing`` / ``postings`` / ``models``: written once per revision when it is first
  published; the texts and, for every gram of one to three characters, the revisions
  holding it with a code mask.
- ``corpus``: the reports public at the current public state, which results are drawn from.
- ``query``: terms and their alternatives (simplified characters, synonyms, pinyin).
- ``engine`` / ``results``: matching, checking long phrases against the text, counts per
  facet, order, the page's passages (``excerpts``), a suggestion when nothing matched.
- ``vocabulary``: words typed in pinyin and words a mistyped one may have meant.
- ``log``: what was searched, by day, without anything about who searched.
"""
