"""Importing last year's report from whatever the clerk has: pasted text, .txt, .docx or PDF.

``sources`` reads an upload into text (``pdf``, ``word``), ``parser`` reads text into a
``structure`` (with ``flatten`` for text that lost its lines, ``normalize`` for characters,
``kinds`` for the statutory parts), ``edits`` applies the clerk's corrections in the
preview, and ``writer`` creates the draft through ``reports.services``. Nothing here is
imported by models or services: the admin and the commands call in, never the reverse.
"""
