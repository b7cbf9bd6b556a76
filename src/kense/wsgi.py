import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
application = get_wsgi_application()

# Load every view (through the URLconf) now, then keep what is loaded out of the garbage
# collector's full passes: it never goes away, and scanning its ~240,000 objects paused a
# request for 80-120 ms every few hundred searches (docs/performance.md, "The one search box").
get_resolver().url_patterns  # noqa: B018
gc.freeze()
