from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import PasswordResetView
from django.urls import include, path

from recovery import security, views
from recovery.emails import PasswordResetByWorkerForm

# A 500 caused by an unreachable database answers the friendly 503 instead.
handler500 = "recovery.security.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("account/views/", views.my_data_views, name="data-views"),
    path("crisis/", views.crisis, name="crisis"),
    path("coordinator/security/", views.security_events, name="security-events"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("", include("recovery.invitations")),
    path("", include("recovery.two_factor")),
    path("", include("recovery.notification_views")),
    path("", include("recovery.crisis_views")),
    path("", include("recovery.password_links")),
    # Before Django's own: sign-out that also clears the browser's copy of the site.
    path("accounts/logout/", security.sign_out, name="logout"),
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
