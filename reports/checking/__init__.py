"""Pre-publication checks: wrong wording, outdated names, personal data and broken structure.

``findings.check_content`` runs every detector over a report snapshot; ``review`` decides
what still stops a report (the workflow's gates) and records ignores; the detectors live
in ``wordlists``, ``personal_data``, ``structure`` and ``links``. Nothing here changes a
report's text: findings are shown, and people fix them.
"""
