"""Kense's settings for the cluster test's processes (`python -m tests.cluster`): the app nodes
and workers read everything else from the environment as in production; letters go to the
fault test's slow file mailbox under KENSE_FAULTS_DIR, so that each is counted once arrived."""

import os
from pathlib import Path

from kense.settings import *  # noqa: F403
from kense.settings import STORAGES, TEMPLATES

EMAIL_BACKEND = "tests.faults.mailbox.SlowFileBackend"
EMAIL_FILE_PATH = Path(os.environ["KENSE_FAULTS_DIR"]) / "mail"
KENSE_LETTER_LEASE = 5
# The pages name their static files without a manifest, so no collectstatic is needed (and the
# checkout's staticfiles/ is left to benchmarks/loadtest.py); the load reads no static file.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TEMPLATES[0]["DIRS"] = [
    *TEMPLATES[0]["DIRS"],
    Path(__file__).resolve().parent.parent / "faults" / "templates",
]
