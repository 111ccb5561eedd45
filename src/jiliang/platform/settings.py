"""Django settings, read once from ``JILIANG_*`` environment variables (DESIGN.md rule 8).

| variable | meaning | default |
| --- | --- | --- |
| JILIANG_DATABASE_URL | database URL (sqlite:///path, postgres://user@host:port/db) | SQLite file in the data dir |
| JILIANG_DATA_DIR | where the SQLite file, keys and the secret key live | ~/.local/share/jiliang |
| JILIANG_SECRET_KEY | Django secret key | generated once into the data dir |
| JILIANG_DEBUG | 1 for debug pages | 0 |
| JILIANG_ALLOWED_HOSTS | comma-separated host names | localhost,127.0.0.1,[::1],testserver |
| JILIANG_REDIS_URL | Redis for the cache and rate limits (redis://127.0.0.1:6379/0) | in-process memory cache |
| JILIANG_MQTT_URL | MQTT broker for device ingest (mqtt://127.0.0.1:1883) | mqtt://127.0.0.1:1883 |
| JILIANG_NATS_URL | NATS server for events (nats://127.0.0.1:4222) | nats://127.0.0.1:4222 |
| JILIANG_MIN_UNCERTAINTY_RATIO | least ratio u(result) / u(standard used) at issue time | 3 |
| JILIANG_VERIFY_RATE_LIMIT / _WINDOW | public verification: requests per client per window (s) | 60 / 60 |
| JILIANG_TRUSTED_PROXIES | comma-separated proxy addresses or networks whose X-Forwarded-For is believed | none |
| JILIANG_KEY_PASSPHRASE(_FILE) | passphrase (or a file holding it) encrypting the DCC signing keys | unencrypted |
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"JILIANG_{name}", default)


def _secret_key(data_dir: Path) -> str:
    key = _env("SECRET_KEY")
    if key:
        return key
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(_env("DATA_DIR", str(Path.home() / ".local" / "share" / "jiliang"))).expanduser()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = _env("DEBUG", "0") == "1"
ALLOWED_HOSTS = [h for h in _env("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h]

DATABASES = {
    "default": dj_database_url.parse(
        _env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jiliang.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Reads through a memory map of up to 2 GiB (SQLite's default ceiling): a page already in the
    # OS cache costs no read() call. Large reads (the impact of a public standard touches most pages
    # of the record and result tables) take about a third less CPU; connections are not kept, so
    # SQLite's own page cache (2 MB) starts empty for every request.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=2147418112;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "jiliang.platform",
    "jiliang.registry",
    "jiliang.calculators.conformity",
    "jiliang.calculators.intervals",
    "jiliang.calculators.sampling",
    "jiliang.calculators.uncertainty",
    "jiliang.portal",
    "jiliang.calibration",
    "jiliang.traceability",
    "jiliang.supervision",
    "jiliang.certificates",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "jiliang.platform.urls"
WSGI_APPLICATION = "jiliang.platform.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jiliang.platform.navigation.nav_items",
            ]
        },
    }
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# Issue-time guard (calibration.guards): a standard's standard uncertainty must be this many times
# smaller than the result's. Read once here; the services take it as an argument.
JILIANG_MIN_UNCERTAINTY_RATIO = float(_env("MIN_UNCERTAINTY_RATIO", "3"))

# Public certificate verification (certificates.ratelimit): requests per client and window; the
# client is REMOTE_ADDR unless that is one of the trusted proxies, then X-Forwarded-For.
JILIANG_VERIFY_RATE_LIMIT = int(_env("VERIFY_RATE_LIMIT", "60"))
JILIANG_VERIFY_RATE_WINDOW = int(_env("VERIFY_RATE_WINDOW", "60"))
JILIANG_TRUSTED_PROXIES = [p.strip() for p in _env("TRUSTED_PROXIES").split(",") if p.strip()]

REDIS_URL = _env("REDIS_URL")
MQTT_URL = _env("MQTT_URL", "mqtt://127.0.0.1:1883")
NATS_URL = _env("NATS_URL", "nats://127.0.0.1:4222")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "jiliang.platform.problems.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Jiliang API",
    "DESCRIPTION": _("REST API of Jiliang (计量), a region's metrology system."),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "InstrumentStatusEnum": "jiliang.registry.choices.InstrumentStatus",
        "StandardStatusEnum": "jiliang.registry.choices.StandardStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", "WARNING")},
}
