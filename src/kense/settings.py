"""Kense settings: one module, read from the environment through small helpers that fail loudly.

Development defaults (DEBUG on, SQLite under ./var) apply only when KENSE_ENV is not "production";
in production every secret must come from the environment.
"""

import importlib.util
import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("KENSE_VAR_DIR", PROJECT_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_str("KENSE_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", default=False)
# With DEBUG on, Kense still answers its own 404 and 500 pages (kense.core.middleware.
# OwnErrorPages); Django's technical pages only when a developer asks for them.
KENSE_DEBUG_PAGES = env_bool("KENSE_DEBUG_PAGES", default=False)
SECRET_KEY = env_str("SECRET_KEY") if PRODUCTION else env_str("SECRET_KEY", "dev-only-not-secret")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "kense.text",
    "kense.core",
    "kense.accounts",
    "kense.notifications",
    "kense.registry",
    "kense.programs",
    "kense.meetings",
    "kense.assignments",
    "kense.events",
    "kense.indicators",
    "kense.documents",
    "kense.ideas",
    "kense.media",
    "kense.geo",
    "kense.sites",
    "kense.public",
    "django.contrib.sitemaps",
    "kense.home",
]
# The synthetic-data generator (manage.py generate) lives beside the benchmarks, outside the
# product package: a checkout has it, an installed Kense does not.
if importlib.util.find_spec("benchmarks") is not None:
    INSTALLED_APPS.append("benchmarks.generator")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and users: a kept open page is served to an anonymous visitor at once.
    "kense.public.cache.PublicPageCache",
    "kense.core.middleware.PrivateResponses",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kense.api.JsonErrors",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "kense.core.middleware.OwnErrorPages",
]

ROOT_URLCONF = "kense.urls"
WSGI_APPLICATION = "kense.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kense.core.context_processors.navigation",
                "kense.core.menu.menu",
            ],
            "builtins": [
                "kense.core.templatetags.kense_format",
                "kense.core.templatetags.kense_links",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kense.sqlite3'}"),
        conn_max_age=60 if PRODUCTION else 0,
        # A connection kept from an earlier request is checked before use, so the first
        # request after a database restart does not fail on a dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: a scoped query whose estimated cost passes jit_above_cost (a
    # coordinator's assignments, as a subquery of the search) ran in 1 ms and was compiled
    # for 390 ms first. Kense's queries are short; JIT only pays off for long analytic ones.
    # random_page_cost 1.1, not the default 4 (made for spinning disks): on SSDs, or with the
    # data in memory, a district's meetings read through the territory index took 1.6 ms
    # where the planner, pricing each index lookup as four reads, scanned every meeting for
    # 16 ms (docs/performance.md). KENSE_PG_OPTIONS replaces both, for another disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "KENSE_PG_OPTIONS", "-c jit=off -c random_page_cost=1.1"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Ten failed logins lock out one user name from one address (for an hour), never a whole
# address nor a whole account: one person trying names cannot lock everyone out, and nobody can
# lock a colleague out from elsewhere. Behind a reverse proxy the client's address is the one
# the proxy forwards, believed only from the proxies named in KENSE_TRUSTED_PROXIES.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "kense.accounts.auth.client_address"
# Addresses or networks (10.0.0.5, 10.0.0.0/24); a wrong value stops Kense at start.
KENSE_TRUSTED_PROXIES = tuple(
    ipaddress.ip_network(proxy, strict=False) for proxy in env_list("KENSE_TRUSTED_PROXIES")
)
AXES_FAILURE_LIMIT = 10
# Password reset letters an hour: per e-mail address, and requests per client address.
KENSE_PASSWORD_RESET_LIMITS = (
    int(os.environ.get("KENSE_PASSWORD_RESET_PER_EMAIL", "3")),
    int(os.environ.get("KENSE_PASSWORD_RESET_PER_CLIENT", "10")),
)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)

# Languages: Kazakh first. Content has kk and ru versions; en is optional and falls back.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django has no Kazakh formats (it printed «Сәуір 21, 2020» and «36.1 КБ»): Kense's own.
FORMAT_MODULE_PATH = ["kense.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"
MODELTRANSLATION_DEFAULT_LANGUAGE = "kk"
MODELTRANSLATION_LANGUAGES = ("kk", "ru", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("kk", "ru"), "en": ("ru", "kk")}
MODELTRANSLATION_AUTO_POPULATE = False
MODELTRANSLATION_REQUIRED_LANGUAGES = ("kk", "ru")

STATIC_URL = "/static/"
# Where `collectstatic` puts the static files the web process serves (WhiteNoise).
STATIC_ROOT = Path(os.environ.get("KENSE_STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STATICFILES_DIRS = [
    # Front-end packages come from npm at set-up (make setup); nothing is fetched at run time.
    ("vendor/htmx", PROJECT_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/tom-select", PROJECT_DIR / "node_modules" / "tom-select" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("KENSE_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
KENSE_IMPORT_MAX_BYTES = int(os.environ.get("KENSE_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
KENSE_IMPORT_MAX_ROWS = int(os.environ.get("KENSE_IMPORT_MAX_ROWS", "20000"))

TASKS = {
    "default": {"BACKEND": os.environ.get("KENSE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
# The generations of what is kept computed (kense.core.generations): small files read by every
# process of the machine (with KENSE_REDIS_URL, entries in Redis instead).
KENSE_GENERATIONS_DIR = Path(os.environ.get("KENSE_GENERATIONS_DIR", VAR_DIR / "generations"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kense@localhost")

# The Telegram channel of notifications (kense.notifications.telegram): the office's bot's
# token from @BotFather (empty: the channel is off) and the Bot API's address.
KENSE_TELEGRAM_TOKEN = os.environ.get("KENSE_TELEGRAM_TOKEN", "")
KENSE_TELEGRAM_API = os.environ.get("KENSE_TELEGRAM_API", "https://api.telegram.org")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

NINJA_PAGINATION_PER_PAGE = 50
# The interactive API docs and the OpenAPI document: open to anyone in development, behind
# login in production (KENSE_PUBLIC_API_DOCS=1 opens them).
KENSE_PUBLIC_API_DOCS = env_bool("KENSE_PUBLIC_API_DOCS", default=not PRODUCTION)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
AXES_VERBOSE = False
FORMS_URLFIELD_ASSUME_HTTPS = True
KENSE_ATTACHMENT_MAX_BYTES = int(os.environ.get("KENSE_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))

# Office files (.xlsx, .docx, .pptx) are ZIP archives: a small upload may unpack into gigabytes.
# Before any is opened, its ZIP directory is checked (core/files.py `check_archive`): the number
# of parts, what they unpack to in all and each, and how tightly each part larger than
# KENSE_ZIP_RATIO_FROM_BYTES is packed (ordinary Office XML packs 5 to 30 times; a decompression
# bomb 1000 times). The XML a reader parses whole (python-docx: all of a .docx; openpyxl: all but
# the sheets and shared strings, which it streams) takes about 25 times its size in memory:
# KENSE_ZIP_MAX_XML_BYTES bounds it.
KENSE_ZIP_MAX_BYTES = int(os.environ.get("KENSE_ZIP_MAX_BYTES", 50 * 1024 * 1024))
KENSE_ZIP_MAX_MEMBER_BYTES = int(os.environ.get("KENSE_ZIP_MAX_MEMBER_BYTES", 40 * 1024 * 1024))
KENSE_ZIP_MAX_MEMBERS = int(os.environ.get("KENSE_ZIP_MAX_MEMBERS", "1000"))
KENSE_ZIP_MAX_RATIO = int(os.environ.get("KENSE_ZIP_MAX_RATIO", "100"))
KENSE_ZIP_RATIO_FROM_BYTES = int(os.environ.get("KENSE_ZIP_RATIO_FROM_BYTES", 256 * 1024))
KENSE_ZIP_MAX_XML_BYTES = int(os.environ.get("KENSE_ZIP_MAX_XML_BYTES", 10 * 1024 * 1024))
# An import's rows: a row of more cells than this is no template's (openpyxl holds a whole row
# in memory, about 450 bytes a cell, before a column limit applies).
KENSE_IMPORT_MAX_ROW_CELLS = int(os.environ.get("KENSE_IMPORT_MAX_ROW_CELLS", "1000"))
# Articles: the longest text read, and how long finding the registry's names in it may take
# before the links are left to the user (the request stays well within gunicorn's timeout).
KENSE_ARTICLE_MAX_CHARS = int(os.environ.get("KENSE_ARTICLE_MAX_CHARS", "200000"))
KENSE_ARTICLE_MATCH_SECONDS = float(os.environ.get("KENSE_ARTICLE_MATCH_SECONDS", "10"))
# Reading a PDF's text for the library's search (pdftotext): at most this long.
KENSE_TEXT_EXTRACTION_SECONDS = float(os.environ.get("KENSE_TEXT_EXTRACTION_SECONDS", "20"))

# Assignments: reminders go out this many days before a deadline (and on the day, and once
# when overdue); the weekly digest for executives goes out on this weekday (0 = Monday).
KENSE_REMINDER_DAYS_BEFORE = tuple(
    int(day) for day in env_list("KENSE_REMINDER_DAYS_BEFORE", "3,1")
)
KENSE_WEEKLY_DIGEST_WEEKDAY = int(os.environ.get("KENSE_WEEKLY_DIGEST_WEEKDAY", "0"))
# Where letters point to: the address people open Kense at.
KENSE_BASE_URL = os.environ.get("KENSE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Events: a number of participants or views above this needs an explicit confirmation.
KENSE_PARTICIPANTS_WARNING = int(os.environ.get("KENSE_PARTICIPANTS_WARNING", "100000"))

# Covering indexes (INCLUDE) are a PostgreSQL speed-up; on SQLite, the embedded default, they are
# plain indexes on their key columns, which is what is wanted there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Beyond one machine (issue 17; docs/deploy.md, docs/decisions.md) ---------------------------
# Any number of app nodes share PostgreSQL, Redis and the media directory (KENSE_MEDIA_ROOT);
# a node keeps nothing of its own that another would need.
# KENSE_REDIS_URL (redis://host:6379/0): Django's own Redis cache, shared by every node (the
# open pages, the residents' rate limits, cached sessions). Unset: each process's memory, which
# is all one process (make demo) needs.
KENSE_REDIS_URL = os.environ.get("KENSE_REDIS_URL", "")
if KENSE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": KENSE_REDIS_URL,
            "KEY_PREFIX": "kense",
        }
    }
    # Sessions written through to the database and read from Redis: a lost node or a lost
    # Redis logs nobody out (docs/decisions.md, "Beyond one machine").
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# KENSE_REPLICA_URL (postgres://…): a streaming replica for the heavy reads a view marks
# (kense.core.replica); unset, every read goes to DATABASE_URL.
KENSE_REPLICA_URL = os.environ.get("KENSE_REPLICA_URL", "")
if KENSE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            KENSE_REPLICA_URL, conn_max_age=60 if PRODUCTION else 0, conn_health_checks=True
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        # The tests run on one database: the replica is the primary under another name.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["kense.core.replica.ReplicaRouter"]
# Marks a browser that wrote, so that its next reads come from the primary.
MIDDLEWARE.append("kense.core.replica.PinToPrimary")
# A user's reads go to the primary for this many seconds after their own write.
KENSE_REPLICA_PIN_SECONDS = int(os.environ.get("KENSE_REPLICA_PIN_SECONDS", "5"))
# A worker whose heartbeat is older than this is dead; its RUNNING tasks are retried
# (kense.core.worker). Its heartbeat is written every tenth of it.
KENSE_WORKER_DEAD_AFTER = float(os.environ.get("KENSE_WORKER_DEAD_AFTER", "60"))
