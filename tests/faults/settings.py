"""Kense's settings for the fault test's own processes (tests/faults/test_worker_faults.py):
letters to a slow file mailbox under KENSE_FAULTS_DIR, and bounds of seconds instead of
minutes, so that a killed worker's work is taken over within the test."""

import os
from pathlib import Path

from kense.settings import *  # noqa: F403
from kense.settings import TEMPLATES

FAULTS_DIR = Path(os.environ["KENSE_FAULTS_DIR"])
EMAIL_BACKEND = "tests.faults.mailbox.SlowFileBackend"
EMAIL_FILE_PATH = FAULTS_DIR / "mail"
KENSE_LETTER_LEASE = 2
KENSE_TASK_STUCK_AFTER = 2
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
