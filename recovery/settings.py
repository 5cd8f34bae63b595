"""Settings for the peer-support goal planner.

Every knob comes from the environment through the small typed helpers below, with
defaults that are safe and that make `make run` work on a fresh machine.
"""

import os
import sys
import zoneinfo
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env_str(name, default).split(",") if part.strip()]


def env_secret(name: str, default: str = "") -> str:
    """A secret from `NAME`, or read from the file `NAME_FILE` names (the container
    convention for Docker and Kubernetes secrets; a trailing newline is dropped)."""
    path = os.environ.get(f"{name}_FILE", "")
    if not path:
        return env_str(name, default)
    if os.environ.get(name):
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name}_FILE names {path!r}, which cannot be read ({error.strerror})."
        ) from None


def caches_from_url(url: str) -> dict[str, dict[str, object]]:
    """Each process's own memory when `url` is empty (`make run`, one process), or
    one Redis shared by every process and server (`redis://host:6379/0`): Django's
    RedisCache, made to degrade to no cache while Redis is down (recovery.cache)."""
    if not url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "template_fragments": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "template-fragments",
                "OPTIONS": {"MAX_ENTRIES": 500},
            },
        }
    if urlsplit(url).scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured("CACHE_URL must be redis:// or rediss://, or unset.")
    shared = {
        "BACKEND": "recovery.cache.ForgivingRedisCache",
        "LOCATION": url,
        # A Redis that does not answer costs a page half a second, not a minute.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    return {
        "default": shared | {"KEY_PREFIX": "recovery"},
        "template_fragments": shared | {"KEY_PREFIX": "fragments"},
    }


def database_from_url(url: str) -> dict[str, object]:
    """Turn `sqlite:///var/db.sqlite3` or `postgresql://u:p@host:5432/db` into
    a Django DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:///var/x.db is relative to the project; sqlite:////abs/x.db absolute.
        name = Path(path[1:]) if path.startswith("/") else Path(path)
        if not name.is_absolute():
            name = BASE_DIR / name
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(name),
            # Several processes (a web server's workers, the task worker) write at
            # once: with a write-ahead log readers never wait for a writer, each
            # transaction takes the write lock when it begins (so it never fails
            # half-way, on upgrading a read to a write), and a writer waits up to
            # 20 seconds for its turn instead of answering "database is locked".
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must be sqlite:// or postgresql://, not {parts.scheme!r}."
    )


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
# Management commands that sign nothing run without a key (a release step, a
# migration check); `check --deploy` refuses the stand-in key (security.W009).
KEYLESS_COMMANDS = {
    "check",
    "collectstatic",
    "help",
    "makemigrations",
    "migrate",
    "showmigrations",
    "sqlmigrate",
    "version",
}
_command = sys.argv[1] if Path(sys.argv[0]).name == "manage.py" and sys.argv[1:] else ""
if not SECRET_KEY:
    if not (DEBUG or _command in KEYLESS_COMMANDS):
        # One plain line, not a traceback: this is the first thing a deployer sees.
        raise SystemExit("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-key-for-development-only"  # noqa: S105  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "recovery",
    "goals",
    "peers",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks_db",
]

MIDDLEWARE = [
    "recovery.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that reads the database, so that the friendly 503 answers
    # a database error wherever it happens, with these headers on it too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "recovery.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "recovery.middleware.HtmxSignInRedirectMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "recovery.middleware.UserTimezoneMiddleware",
    "recovery.audit.RefusalAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware, so a timed-out person is told why on the sign-in page;
    # LoginRequiredMiddleware still sees them signed out (it acts in process_view).
    "recovery.middleware.SessionTimeoutMiddleware",
    "recovery.middleware.TwoFactorMiddleware",
    "recovery.middleware.NoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "recovery.urls"
# Text fields say their limit rather than cut at it (recovery/forms_rendering.py).
FORM_RENDERER = "recovery.forms_rendering.Renderer"
WSGI_APPLICATION = "recovery.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recovery.context_processors.crisis",
                "recovery.context_processors.bell",
            ],
            "builtins": ["django.templatetags.i18n", "recovery.templatetags.once"],
        },
    }
]

DATABASES = {
    "default": database_from_url(env_secret("DATABASE_URL", "sqlite:///var/db.sqlite3"))
}
# ATOMIC_REQUESTS stays off: every change of more than one row is a service in
# `transaction.atomic` (or a view's own atomic block), so a broken connection
# leaves nothing half-written; a transaction around every request would also roll
# back the audit event a refused request (404/403) must leave behind.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "recovery.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes first: it refuses a sign-in while it is paused or slowed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins pause the (account, address) pair after this many, for this long
# after the latest failure; an address guessing many names and an account guessed
# from many addresses are handled by recovery.security.SignInGuard (its comment says
# how). A try refused while paused is not counted, so the pause ends on time; a
# successful sign-in clears the failures counted with it.
SIGN_IN_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_HANDLER = "recovery.security.SignInGuard"
AXES_FAILURE_LIMIT = "recovery.security.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "recovery.security.lockout_response"
# The address a person signs in from, behind as many proxies as we trust.
AXES_CLIENT_IP_CALLABLE = "recovery.security.client_ip"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# A deployment for which one of our deploy warnings (recovery/checks.py) is right
# names it here, e.g. "recovery.W002" behind a proxy nothing can go around.
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS")
# The audit log records sign-ins and sign-outs; axes keeps only what lockout needs.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken", "next"]

# Two-step sign-in (TOTP). Supporters and coordinators must use it in production;
# `make run`'s demo (DEBUG) and the test suite sign in with a password alone
# unless this is switched on. Members are offered it on their settings page.
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", not DEBUG)
# The programme's name, as emails and authenticator apps say it.
PROGRAMME_NAME = env_str("PROGRAMME_NAME", "Recovery planner")
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", PROGRAMME_NAME)

# A password-reset link works once (Django's token changes with the password and
# the last sign-in) and for one hour.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60)
# A "set your password" link a coordinator hands over in person (for someone
# without an email address) works once, for this many hours.
PASSWORD_LINK_HOURS = env_int("PASSWORD_LINK_HOURS", 24)

# Sessions end after this long without a request, and in any case this long after
# sign-in (recovery.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_MEMBER_MINUTES = env_int("SESSION_IDLE_MEMBER_MINUTES", 30)
SESSION_IDLE_STAFF_MINUTES = env_int("SESSION_IDLE_STAFF_MINUTES", 15)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 60 * 60

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The server's zone; each person's own zone lives on their account.
TIME_ZONE = env_str("TIME_ZONE", "UTC")


def time_zones(names: list[str]) -> list[str]:
    """The zones named, each checked against the time zone database."""
    for name in names:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ImproperlyConfigured(
                f"USUAL_TIME_ZONES names {name!r}, which is not a time zone "
                "(use IANA names such as America/New_York)."
            ) from None
    return names


# The zones a time zone list offers first (recovery.time_zones), where most of
# the programme's people live: e.g. "America/New_York,America/Chicago". Unset,
# the programme's own TIME_ZONE.
USUAL_TIME_ZONES = time_zones(env_list("USUAL_TIME_ZONES", TIME_ZONE))

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed, long-cached files in production; plain files when
        # developing (and testing: tests/settings.py), with no collectstatic step.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Developing and testing read static files straight from the app folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# The console backend only for `make run` and the tests: in production it would
# print password-reset links into the logs.
_email_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _email_backend}}
if _email_backend == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_secret("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        # A mail server that hangs must not hold the worker (and its row lock).
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")
# Where the planner is reached, for the links in emails (written by the worker,
# which has no request to take the address from).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Background work (emails, reminders, digests): Django's tasks, kept in the app's
# own database and run by `make worker` (manage.py worker). The tests run each task
# at once, in the test (TASKS_BACKEND=immediate), except the one that starts a worker.
_task_backends = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
if TASKS_BACKEND not in _task_backends:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {sorted(_task_backends)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _task_backends[TASKS_BACKEND]}}

# Security headers. Scripts only from our own origin with the request's nonce; no
# inline styles at all (htmx's indicator styles are switched off in base.html).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Secure cookies, and the `__Host-` prefix (Secure, whole site, no Domain: no other
# host can set or read them), everywhere but `make run` and the tests: both serve
# plain http://127.0.0.1, where a browser refuses a Secure or `__Host-` cookie (the
# browser journeys sign in that way).
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# No script reads the CSRF cookie: htmx sends the token from <body hx-headers>.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer asks each app server directly, over plain http on its own network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Only a signal: a domain is on browsers' preload list only if someone submits it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No member text in logs: Django's request log line names the path, never the
# POST body; tracebacks keep their frames but drop database errors' messages,
# which can quote the row (PostgreSQL's DETAIL). Errors are never emailed
# (Django's default mail_admins would attach the POST data).
# Logs are one JSON object a line in production (LOG_FORMAT=json, the default when
# DEBUG is off) and plain lines for `make run` and the tests; each request writes
# one line of its own (recovery.middleware.RequestIdMiddleware) where DEBUG is off
# (runserver writes its own).
LOG_LEVEL = env_str("LOG_LEVEL", "WARNING")
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"()": "recovery.log.NoMemberTextFormatter"},
        "json": {"()": "recovery.log.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "recovery.request": {
            "handlers": ["console"],
            "level": "WARNING" if DEBUG else "INFO",
            "propagate": False,
        },
    },
}

# --- The product's own knobs ---------------------------------------------------

# Crisis lines are the programme's own, set by its coordinators in the app
# (recovery.crisis; a new programme starts with 988, the US Suicide & Crisis
# Lifeline). These are shown only when neither the database nor the cache
# answers (the 503 page): people in crisis always see somewhere to turn.
CRISIS_LINES = [
    {
        "name": _("988 Suicide & Crisis Lifeline (US)"),
        "contact": "988",
        "kind": "both",
        "hours": _("any time, day or night"),
    },
]
# Whom a person asks to join, or for a forgotten sign-in name (the sign-in page).
# Unset, the page says "your peer support programme's coordinator".
PROGRAMME_CONTACT = env_str("PROGRAMME_CONTACT")

# A check-in with wellbeing at or below this is a very hard day: the crisis lines show
# at once and, only with the member's consent, their supporter's caseload flags them
# for CRISIS_FLAG_DAYS.
CRISIS_WELLBEING = env_int("CRISIS_WELLBEING", 1)
CRISIS_FLAG_DAYS = env_int("CRISIS_FLAG_DAYS", 7)
# What a supporter reads beside a crisis flag, before marking it followed up: the
# programme's own procedure belongs here.
CRISIS_FOLLOW_UP_GUIDANCE = env_str(
    "CRISIS_FOLLOW_UP_GUIDANCE",
    "Reach out today, by the way the member prefers. Ask how they are and listen; "
    "you do not need to fix anything. If they may be in danger now, share the "
    "crisis lines and, if they agree, help them call. If you cannot reach them, "
    "tell your coordinator. Then note here what you did.",
)

# When a member needs their supporter's attention first (the caseload's order).
ATTENTION = {
    "quiet_days": env_int("ATTENTION_QUIET_DAYS", 7),  # no check-in for this long
    "no_contact_days": env_int("ATTENTION_NO_CONTACT_DAYS", 14),  # no contact logged
    "falling_checkins": 3,  # compare the average of the latest N check-ins ...
    "falling_drop": 2,  # ... with the N before: this much lower is "falling"
    "talk_days": 14,  # an "I'd like to talk" newer than the last contact, this recent
}
# How long an invitation link (for a new member or supporter) stays usable.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)

# The programme report's figures are counted at most this often (0: every time).
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 300)

# Each process keeps its own caches in memory (nothing leaves it): the report's
# figures in "default", and drawn page parts ({% cache %}: the report's figures,
# a member's journey chart) in "template_fragments", sized apart so that many
# members' charts never push the figures out.
CACHES = caches_from_url(env_str("CACHE_URL"))
# A member's drawn journey chart is kept this long (seconds), for them alone.
CHART_CACHE_SECONDS = env_int("CHART_CACHE_SECONDS", 600)
# A batch proposal is kept this long (seconds) for the same waiting members and
# supporters (peers.selectors.proposed_pairings); any change solves it again.
BATCH_CACHE_SECONDS = env_int("BATCH_CACHE_SECONDS", 600)

# Coordinators see supporters above this share of their capacity stand out.
BUSY_LOAD = 0.8

# How many timeline events one page (and each "load earlier") shows.
TIMELINE_PAGE_SIZE = env_int("TIMELINE_PAGE_SIZE", 30)
# The supporter's member page shows this many moments, then "load earlier".
SUPPORTER_JOURNEY_PAGE_SIZE = 10
