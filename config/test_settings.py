"""Settings for the test suite: the real settings with a throw-away key and a fast hasher."""
import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key")

from config.settings import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory, so that worker and server subprocesses started by tests share it.
    _name = str(DATABASES["default"]["NAME"])  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": (_name[:-8] if _name.endswith(".sqlite3") else _name) + "_test.sqlite3"}  # noqa: F405

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise warns when it is missing)

# A minimal record kind of a test-only app (tests/kindapp): proves the generic layer (core.kinds).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.kindapp"]  # noqa: F405
