import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _kazakh():
    # Addresses are reversed in the default language, whatever a test before left active.
    with translation.override("kk"):
        yield
