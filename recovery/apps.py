from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = _("Recovery planner")

    def ready(self) -> None:
        from django.urls import register_converter
        from django.utils.module_loading import autodiscover_modules

        from recovery.converters import IdConverter

        # `<id:pk>` in every app's URLs: before any URL module is read.
        register_converter(IdConverter, "id")
        # Connect the signal receivers (the audit log's sign-in and sign-out
        # events, each session's clocks and two-step state at sign-in, the
        # crisis lines' cached copy) and our deploy checks.
        from recovery import audit, checks, crisis, security  # noqa: F401

        # Every app's email writers, minute-tick jobs and notification kinds
        # (recovery.email, recovery.tasks, recovery.notifications), so that a
        # worker knows them all, whichever module it happens to import first.
        autodiscover_modules("emails", "tasks", "notifications")
