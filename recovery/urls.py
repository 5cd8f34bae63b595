from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import PasswordResetView
from django.urls import include, path

from recovery.emails import PasswordResetByWorkerForm
from recovery.views import pages, security

# A 500 caused by an unreachable database answers the friendly 503 instead.
handler500 = "recovery.views.pages.server_error"

urlpatterns = [
    path("", pages.home, name="home"),
    path("account/", pages.account, name="account"),
    path("account/views/", security.my_data_views, name="data-views"),
    path("crisis/", pages.crisis, name="crisis"),
    path("coordinator/security/", security.security_events, name="security-events"),
    path("healthz", pages.healthz, name="healthz"),
    path("readyz", pages.readyz, name="readyz"),
    path("", include("recovery.views.invitations")),
    path("", include("recovery.views.two_factor")),
    path("", include("recovery.views.notifications")),
    path("", include("recovery.views.crisis_lines")),
    path("", include("recovery.views.password_links")),
    # Before Django's own: sign-out that also clears the browser's copy of the site.
    path("accounts/logout/", pages.sign_out, name="logout"),
    # Django's, with the email written and sent by the worker.
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(
            form_class=PasswordResetByWorkerForm,
            # Only for Django's own email templates, should they ever be used.
            extra_email_context={"programme_name": settings.PROGRAMME_NAME},
        ),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("goals.urls")),
    path("", include("peers.urls")),
]
