"""Settings, driven by the environment (see README "Settings").

Nothing secret lives here: SECRET_KEY comes from the environment or a file.
"""
import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("CITYSAFE_SHARED_DIR", BASE_DIR.parent / "shared"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def read_secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if path := os.environ.get("SECRET_KEY_FILE"):
        return Path(path).read_text().strip()
    raise ImproperlyConfigured("Set SECRET_KEY or SECRET_KEY_FILE (see README).")


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = read_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "citysafe.core",
    "citysafe.accounts",
    "citysafe.registry",
    "citysafe.notifications",
    "citysafe.knowledge",
    "citysafe.hazards",
    "captcha",  # django-simple-captcha: the public question form (knowledge)
    "citysafe.monitoring",
    "citysafe.risks",
    "citysafe.emergency",
    "citysafe.early_warning",
    "citysafe.assessment",
    "citysafe.siting",
    "citysafe.construction",
    "citysafe.enforcement",
    "citysafe.supervision",
    "citysafe.credit",
    "citysafe.dashboard",
    "citysafe.sharing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost after the HTTPS redirect: every /api/ answer is JSON (413, 404, 405, 500).
    "citysafe.core.middleware.ApiErrorMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "citysafe.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "citysafe.core.middleware.PageChannelMiddleware",
    "citysafe.core.middleware.RequestLogMiddleware",
    # Must be last: it turns repeated failed logins into a lock-out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "citysafe.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'citysafe.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server, worker and scheduler read while one of them writes;
    # IMMEDIATE transactions take the write lock up front instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Ingestion (monitoring/services/storage_sqlite.py): a 64 MB page cache per connection (the
    # default 2 MB spills a 1,000-sensor batch's dirty pages mid-transaction) and a checkpoint
    # every ~40 MB of WAL instead of ~4 MB (a batch dirties ~1,000 pages, so the default
    # checkpointed — and fsynced — after every batch). Measured: bench/ingest_sqlite.py.
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000;"
# Optional read replica (issue 19): dashboards and exports read there (citysafe/core/db.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"],
                                                 conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["citysafe.core.db.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Model backend that refuses service accounts (API tokens only, never a page session).
    "citysafe.accounts.auth.PageLoginBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed logins (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind nginx/a load balancer, count the trusted proxies so lock-out keys on the client's
# address from X-Forwarded-For instead of the proxy's.
if os.environ.get("TRUSTED_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["TRUSTED_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# HTTPS: BEHIND_HTTPS=1 (older name SECURE_COOKIES=1) when users reach the platform over
# HTTPS, normally through a TLS-terminating reverse proxy. Then cookies are Secure, browsers
# are told to use HTTPS only (HSTS), and the proxy's X-Forwarded-Proto says a request was
# HTTPS (the proxy must set that header itself, overwriting any a client sent).
BEHIND_HTTPS = env_bool("BEHIND_HTTPS", env_bool("SECURE_COOKIES", False))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = BEHIND_HTTPS
if BEHIND_HTTPS:
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    if _proxy_ssl_header := os.environ.get("PROXY_SSL_HEADER", "X-Forwarded-Proto").strip():
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
# API request bodies: JSON nested deeper than this is refused with a 422 (core/api_errors.py).
API_JSON_MAX_DEPTH = 64
# Sessions end after SESSION_HOURS (from sign-in, not sliding) and when the browser closes.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_HOURS", "8")) * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Leaflet (+ Leaflet.draw) ship inside the django-leaflet wheel; we serve its static folder
# directly. Its Django app is not installed because its admin widgets require GDAL.
_LEAFLET_STATIC = Path(importlib.util.find_spec("leaflet").origin).parent / "static"
STATICFILES_DIRS = [BASE_DIR / "static", _LEAFLET_STATIC]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if os.environ.get("ATTACHMENT_STORAGE", "local") == "s3":
    # Any S3-compatible store (MinIO on the intranet); needs `pip install .[s3]`.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL"),
            "access_key": os.environ.get("S3_ACCESS_KEY"),
            "secret_key": os.environ.get("S3_SECRET_KEY"),
            "default_acl": None,
            "querystring_auth": True,
        },
    }
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: the attachment service checks size and type itself; these bound the request.
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
ATTACHMENT_ALLOWED_TYPES = env_list(
    "ATTACHMENT_ALLOWED_TYPES",
    "image/jpeg,image/png,image/webp,application/pdf,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Imports (registry workbooks, GeoJSON, zipped Shapefiles): limits checked before any work
# starts (citysafe/registry/io/workbook.py). The uncompressed size and compression ratio are
# read from the zip directory, so a zip bomb is refused before anything is decompressed.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "100000"))
IMPORT_MAX_CELL_CHARS = int(os.environ.get("IMPORT_MAX_CELL_CHARS", "32767"))  # Excel's own cell limit
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", str(256 * 1024 * 1024)))
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", "100"))
IMPORT_STALE_MINUTES = int(os.environ.get("IMPORT_STALE_MINUTES", "30"))  # no progress: the job is swept to failed

# Background work: django-tasks with its database backend, so a job is enqueued in the
# same transaction as the change that causes it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "notifications"],
    }
}
# The Redis backend (TASKS_BACKEND=django_tasks_rq.RQBackend, the `redis` extra): one rq queue
# per django-tasks queue on REDIS_URL; workers run `manage.py run_worker` (rqworker underneath).
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
TASK_TIMEOUT_SECONDS = int(os.environ.get("TASK_TIMEOUT_SECONDS", "3600"))  # rq kills a job running longer
RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": TASK_TIMEOUT_SECONDS} for name in TASKS["default"]["QUEUES"]}
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
    INSTALLED_APPS.append("django_rq")  # its rqworker command and system checks
# Reclaiming jobs a killed worker left RUNNING (core/taskqueue.py): a worker beats its heartbeat
# every TASK_HEARTBEAT_SECONDS; its jobs are reclaimed after TASK_HEARTBEAT_TIMEOUT_SECONDS of
# silence (a job claimed by a worker that never beat: after TASK_TIMEOUT_SECONDS), re-run at
# most TASK_RECLAIM_MAX times (a job that kills its worker every time is left failed).
TASK_HEARTBEAT_SECONDS = float(os.environ.get("TASK_HEARTBEAT_SECONDS", "10"))
TASK_HEARTBEAT_TIMEOUT_SECONDS = float(os.environ.get("TASK_HEARTBEAT_TIMEOUT_SECONDS", "60"))
TASK_RECLAIM_MAX = int(os.environ.get("TASK_RECLAIM_MAX", "3"))
# Notification outbox (citysafe/notifications): retries with exponential backoff, then DEAD.
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "6"))
NOTIFICATION_RETRY_BASE_SECONDS = float(os.environ.get("NOTIFICATION_RETRY_BASE_SECONDS", "30"))
NOTIFICATION_RETRY_MAX_SECONDS = float(os.environ.get("NOTIFICATION_RETRY_MAX_SECONDS", "3600"))
NOTIFICATION_WEBHOOK_URL = os.environ.get("NOTIFICATION_WEBHOOK_URL", "")
# Delivery channels by name -> dotted path of a citysafe.notifications.channels.Channel
# subclass. Only these exist (the outbox's channel choices come from this table); a
# deployment adds its own, e.g. NOTIFICATION_CHANNELS_EXTRA="sms=county_sms.channels.SmsChannel".
NOTIFICATION_CHANNELS: dict[str, str] = {
    "inbox": "citysafe.notifications.channels.InboxChannel",
    "webhook": "citysafe.notifications.channels.WebhookChannel",
    "sms": "citysafe.notifications.sms.SmsChannel",
    "email": "citysafe.notifications.sms.EmailChannel",
    **dict(
        item.split("=", 1)
        for item in os.environ.get("NOTIFICATION_CHANNELS_EXTRA", "").split(",")
        if "=" in item
    ),
}
# A worker claims up to NOTIFICATION_CLAIM_BATCH due rows for NOTIFICATION_LEASE_SECONDS;
# rows of a worker that died are claimed again once the lease has run out.
NOTIFICATION_LEASE_SECONDS = float(os.environ.get("NOTIFICATION_LEASE_SECONDS", "120"))
NOTIFICATION_CLAIM_BATCH = int(os.environ.get("NOTIFICATION_CLAIM_BATCH", "20"))
# Successful deliveries recorded per transaction (delivery.Outcomes).
NOTIFICATION_RECORD_BATCH = int(os.environ.get("NOTIFICATION_RECORD_BATCH", "50"))
# The MQTT channel (paho-mqtt, extra "mqtt") exists only when a broker is configured.
NOTIFICATION_MQTT_HOST = os.environ.get("NOTIFICATION_MQTT_HOST", "")
NOTIFICATION_MQTT_PORT = int(os.environ.get("NOTIFICATION_MQTT_PORT", "1883"))
NOTIFICATION_MQTT_USERNAME = os.environ.get("NOTIFICATION_MQTT_USERNAME", "")
NOTIFICATION_MQTT_PASSWORD = os.environ.get("NOTIFICATION_MQTT_PASSWORD", "")
if NOTIFICATION_MQTT_HOST:
    NOTIFICATION_CHANNELS["mqtt"] = "citysafe.notifications.mqtt.MqttChannel"
# HMAC-SHA256 key of webhook signatures, gateway receipts and acknowledgement codes (env only).
NOTIFICATION_SIGNING_SECRET = os.environ.get("NOTIFICATION_SIGNING_SECRET", "")
# SMS: the gateway adapter (HTTP: NOTIFICATION_SMS_URL; file/console for the demo: NOTIFICATION_SMS_FILE).
NOTIFICATION_SMS_GATEWAY = os.environ.get("NOTIFICATION_SMS_GATEWAY", "citysafe.notifications.sms.FileSmsGateway")
NOTIFICATION_SMS_URL = os.environ.get("NOTIFICATION_SMS_URL", "")
NOTIFICATION_SMS_FILE = os.environ.get("NOTIFICATION_SMS_FILE", "")
# Messages per second per channel for all workers together (operators cap SMS throughput), e.g. "sms=50,email=10".
# Shared through the database (notifications.rate_limits), not per process.
NOTIFICATION_RATE_LIMITS = {name: float(rate) for name, _, rate in (
    item.partition("=") for item in os.environ.get("NOTIFICATION_RATE_LIMITS", "").split(",") if "=" in item)}
# E-mail over SMTP (Django's backend).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "citysafe@localhost")
# The platform's address as the public reaches it (links in e-mails and SMS).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://localhost:8000")
# Early warnings: remind responsible persons who have not acknowledged within this many minutes.
WARNING_ACK_REMINDER_MINUTES = int(os.environ.get("WARNING_ACK_REMINDER_MINUTES", "30"))

# Where the county outline comes from when no county area exists yet.
COUNTY_OUTLINE_PATH = Path(
    os.environ.get("COUNTY_OUTLINE_PATH", SHARED_DIR / "data" / "geo" / "dongxiang-county-outline.geojson")
)
# Natural Earth rivers, lakes and places (CC0) the map's base layer is drawn from.
# CAP 1.2 (early_warning): the OASIS schema published versions are validated against, the
# national-profile codes of the identifier, the sender, and the import size bound.
CAP_SCHEMA_PATH = Path(os.environ.get("CAP_SCHEMA_PATH", SHARED_DIR / "data" / "cap" / "cap12.xsd"))
CAP_AREA_CODE = os.environ.get("CAP_AREA_CODE", "622926")
CAP_DEFAULT_AGENCY_CODE = os.environ.get("CAP_DEFAULT_AGENCY_CODE", "000")
CAP_SENDER = os.environ.get("CAP_SENDER", "citysafe@622926.gov.cn")
CAP_IMPORT_MAX_BYTES = int(os.environ.get("CAP_IMPORT_MAX_BYTES", "1000000"))
NATURAL_EARTH_DIR = Path(os.environ.get("NATURAL_EARTH_DIR", SHARED_DIR / "data" / "geo" / "natural-earth"))
# The knowledge base's shipped laws and the seed policy (manage.py load_laws).
KNOWLEDGE_LAWS_DIR = Path(os.environ.get("KNOWLEDGE_LAWS_DIR", SHARED_DIR / "data" / "laws"))
KNOWLEDGE_SEED_DIR = Path(os.environ.get("KNOWLEDGE_SEED_DIR", SHARED_DIR / "seed"))
# Most vertices one stored geometry may have (a place's road or pipeline, an area outline).
GEOMETRY_MAX_VERTICES = int(os.environ.get("GEOMETRY_MAX_VERTICES", "20000"))
# Marks the UI footer when the loaded data is synthetic demo data.
CITYSAFE_SYNTHETIC_DATA = env_bool("CITYSAFE_SYNTHETIC_DATA", False)
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")


def tile_origin(url: str) -> str | None:
    """The source a tile URL template loads images from, for the CSP (None: same origin).

    A leftmost host label holding a placeholder ({s} subdomains, e.g. Tianditu's t{s}) becomes
    CSP's wildcard: https://t{s}.tianditu.gov.cn -> https://*.tianditu.gov.cn. CSP has no
    wildcard further right, so a placeholder there allows the whole scheme (https:)."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    labels = parts.netloc.rsplit("@", 1)[-1].split(".")
    if "{" in labels[0]:
        labels[0] = "*"
    if any("{" in label for label in labels):
        return f"{parts.scheme}:"
    return f"{parts.scheme}://{'.'.join(labels)}"


# Content-Security-Policy (django-csp) on every response: scripts and styles only from our
# own static files (no inline script, no eval), images also from the tile service.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *filter(None, [tile_origin(MAP_TILE_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}


LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
# LOG_FILE: write every record at LOG_LEVEL to this file (JSON lines) and show only
# CONSOLE_LOG_LEVEL and above on the terminal; run_platform sets both so a trial terminal
# stays quiet. Without LOG_FILE everything goes to stderr as JSON (containers, journald).
LOG_FILE = os.environ.get("LOG_FILE", "")
CONSOLE_LOG_LEVEL = os.environ.get("CONSOLE_LOG_LEVEL", LOG_LEVEL)
_log_handlers = {"console": {"class": "logging.StreamHandler", "formatter": "json", "level": CONSOLE_LOG_LEVEL}}
if LOG_FILE:
    _log_handlers["file"] = {"class": "logging.handlers.WatchedFileHandler", "filename": LOG_FILE,
                             "formatter": "json", "encoding": "utf-8"}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": _log_handlers,
    "root": {"handlers": list(_log_handlers), "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "citysafe": {"level": LOG_LEVEL, "propagate": True},
    },
}

# run_platform prints these notes (dotted paths to callables taking the base URL and
# returning text) once the web server answers: the demo accounts to log in with.
PLATFORM_READY_NOTES = ["citysafe.registry.demo.accounts.ready_note"]

# Online monitoring (citysafe/monitoring): raw readings are kept this many days (PostgreSQL
# drops whole daily partitions), roll-ups longer; an ingestion request is bounded.
MONITORING_RETENTION_DAYS = int(os.environ.get("MONITORING_RETENTION_DAYS", "90"))
MONITORING_INGEST_MAX_BYTES = int(os.environ.get("MONITORING_INGEST_MAX_BYTES", str(8 * 1024 * 1024)))
MONITORING_INGEST_MAX_READINGS = int(os.environ.get("MONITORING_INGEST_MAX_READINGS", "50000"))
# MQTT ingestion (manage.py mqtt_ingest, whose flags override these): MQTT 5 persistent session
# per client id (distinct per process); several processes share the load as one shared-subscription
# group (MONITORING_MQTT_SHARE); an offline process's session and its queued share live this long.
MONITORING_MQTT_HOST = os.environ.get("MONITORING_MQTT_HOST", "127.0.0.1")
MONITORING_MQTT_PORT = int(os.environ.get("MONITORING_MQTT_PORT", "1883"))
MONITORING_MQTT_CLIENT_ID = os.environ.get("MONITORING_MQTT_CLIENT_ID", "citysafe-ingest")
MONITORING_MQTT_SHARE = os.environ.get("MONITORING_MQTT_SHARE", "")
MONITORING_MQTT_SESSION_EXPIRY = int(os.environ.get("MONITORING_MQTT_SESSION_EXPIRY", "86400"))
MONITORING_MQTT_USERNAME = os.environ.get("MONITORING_MQTT_USERNAME", "")
MONITORING_MQTT_PASSWORD = os.environ.get("MONITORING_MQTT_PASSWORD", "")
# Where alarm rules are evaluated (services/evaluator.py): "" = the default (PostgreSQL: a thread
# in the ingesting process; SQLite: inline), "process" = manage.py run_alarm_evaluator (production).
MONITORING_EVALUATION = os.environ.get("MONITORING_EVALUATION", "")

# Data sharing (citysafe/sharing): outgoing webhooks may reach only these hosts (empty: any
# public host; ".example.gov.cn" allows subdomains) and never private/loopback/link-local
# addresses unless SHARING_WEBHOOK_ALLOW_PRIVATE (an intranet deployment).
SHARING_WEBHOOK_ALLOWED_HOSTS = env_list("SHARING_WEBHOOK_ALLOWED_HOSTS")
SHARING_WEBHOOK_ALLOW_PRIVATE = env_bool("SHARING_WEBHOOK_ALLOW_PRIVATE")
