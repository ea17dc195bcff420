"""Pre-publication checks: wrong wording, outdated names, personal data and broken structure.

``checker.check_content`` runs every detector over a report snapshot (``findings`` holds
the Finding type and the walk over a report's texts); the detectors live in
``wordlists``, ``personal_data``, ``structure`` and ``links``; ``review`` decides what still
stops a report (the workflow's gates) and records ignores; ``public`` rescans what the
public reads. Nothing here changes a report's text: findings are shown, and people fix them.
"""
