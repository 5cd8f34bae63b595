"""Every URL of the planner's own pages, by what a person does there (the views:
recovery/views/), then Django's sign-in pages, the admin, and goals' and peers'
URLs. URL names are what templates, emails and tests use: they stay."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import PasswordResetView
from django.urls import include, path

from recovery.emails import PasswordResetByWorkerForm
from recovery.views import (
    crisis_lines,
    invitations,
    notifications,
    pages,
    password_links,
    security,
    two_factor,
)

# A 500 caused by an unreachable database answers the friendly 503 instead.
handler500 = "recovery.views.pages.server_error"

urlpatterns = [
    path("", pages.home_redirect, name="home"),
    path("account/", pages.account_edit, name="account"),
    path("account/views/", security.data_view_list, name="data-views"),
    path("crisis/", pages.crisis_detail, name="crisis"),
    path("coordinator/security/", security.security_event_list, name="security-events"),
    path("healthz", pages.health_check, name="healthz"),
    path("readyz", pages.readiness_check, name="readyz"),
    # Getting in: an invitation, or a set-your-password link a coordinator made.
    path(
        "invite/<str:token>/", invitations.invitation_accept, name="invitation-accept"
    ),
    path(
        "set-password/<str:token>/",
        password_links.password_link_open,
        name="password-link",
    ),
    # Two-step sign-in.
    path("account/two-step/", two_factor.two_factor_manage, name="two-factor"),
    path(
        "account/two-step/start/", two_factor.two_factor_start, name="two-factor-start"
    ),
    path(
        "account/two-step/confirm/",
        two_factor.two_factor_confirm,
        name="two-factor-confirm",
    ),
    path(
        "account/two-step/off/", two_factor.two_factor_turn_off, name="two-factor-off"
    ),
    path(
        "account/two-step/verify/",
        two_factor.two_factor_verify,
        name="two-factor-verify",
    ),
    path(
        "account/two-step/backup-codes/",
        two_factor.backup_codes_renew,
        name="two-factor-backup-codes",
    ),
    # The bell.
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/<id:pk>/",
        notifications.notification_open,
        name="notification-open",
    ),
    path(
        "notifications/read/",
        notifications.notification_read_all,
        name="notifications-read",
    ),
    path(
        "notifications/bell/",
        notifications.bell_detail,
        name="notification-bell",
    ),
    path(
        "notifications/settings/",
        notifications.notification_settings_edit,
        name="notification-settings",
    ),
    # The programme's crisis lines, for coordinators.
    path(
        "coordinator/crisis-lines/", crisis_lines.crisis_line_list, name="crisis-lines"
    ),
    path(
        "coordinator/crisis-lines/<id:line_id>/",
        crisis_lines.crisis_line_edit,
        name="crisis-line-edit",
    ),
    path(
        "coordinator/crisis-lines/<id:line_id>/remove/",
        crisis_lines.crisis_line_remove,
        name="crisis-line-remove",
    ),
    path(
        "coordinator/crisis-lines/<id:line_id>/move/",
        crisis_lines.crisis_line_move,
        name="crisis-line-move",
    ),
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
