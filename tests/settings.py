"""The test suite's settings: production's (`recovery.settings`, DEBUG off), with
only what a test run needs changed, each for a reason said beside it.

pytest reads this module (pyproject.toml, `DJANGO_SETTINGS_MODULE`); no other process
does, so nothing outside the suite can end up with fast hashing or two-step sign-in off.
"""

import os

# recovery.settings refuses to start without a key when DEBUG is off. A key for this
# import only: the processes a test starts get the environment as it was.
_lent_key = "SECRET_KEY" not in os.environ
if _lent_key:
    os.environ["SECRET_KEY"] = "tests-only-" + "k" * 40
try:
    from recovery.settings import *  # noqa: F403
    from recovery.settings import LOGGING, env_bool, env_str
finally:
    if _lent_key:
        del os.environ["SECRET_KEY"]

# Tests create many users; hashing each with Argon2 would only slow the suite.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Staff sign in with a password alone unless a test turns two-step sign-in on
# (tests/recovery/test_two_factor.py does, with override_settings).
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", False)

# No collectstatic step: static files straight from the app folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Each task runs at once, inside the test, unless TASKS_BACKEND says otherwise (the
# worker's own tests start a worker on the database backend).
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# The test server and the browser journeys speak plain http://127.0.0.1, where a
# browser refuses Secure and `__Host-` cookies, and an https redirect goes nowhere.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)

# Plain log lines, and no line for each request (a test asks for them with caplog).
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT
LOGGING["loggers"]["recovery.request"]["level"] = "WARNING"
