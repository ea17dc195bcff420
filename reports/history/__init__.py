"""A report's history: snapshots and revisions, the hash chain, what was public when, comparison.

``revisions`` turns the working copy into immutable snapshots; ``hashchain`` is the
canonical form both chains are hashed in; ``publication`` answers "what did the public see
at T" from the events; ``timeline`` and ``compare`` serve the auditors' screens.
"""
