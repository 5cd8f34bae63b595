from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = _("Recovery planner")

    def ready(self) -> None:
        # `<id:pk>` in every app's URLs: before any URL module is read.
        from django.urls import register_converter

        from recovery.converters import IdConverter

        register_converter(IdConverter, "id")
        # Connect the signal receivers: the audit log's sign-in and sign-out
        # events, and each session's clocks and two-step state at sign-in.
        # And our deploy checks.
        # Every app's email writers and minute-tick jobs (recovery.email,
        # recovery.tasks), so the worker knows them all whichever it imports first.
        from django.utils.module_loading import autodiscover_modules

        from recovery import audit, checks, security  # noqa: F401

        autodiscover_modules("emails", "tasks")
