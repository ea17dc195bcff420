"""Public pages residents read, one module per job; ``reports/urls.py`` maps them."""
