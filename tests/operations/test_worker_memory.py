"""A worker starts small: the libraries only some files need load with the first such file."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

# Word, PDF and spreadsheet libraries: about 26 MB of every worker's memory when loaded at start.
ON_DEMAND = {"docx", "openpyxl", "pypdf", "pypdfium2", "reportlab"}


@pytest.mark.slow
def test_a_worker_serves_pages_without_loading_the_document_and_spreadsheet_libraries():
    script = (
        "import sys\n"
        "from portal.wsgi import application\n"
        "from django.test import Client\n"
        "assert Client().get('/healthz').status_code == 200\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout.split()

    assert "django" in loaded
    assert ON_DEMAND.isdisjoint(loaded)
