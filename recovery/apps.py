from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = _("Recovery planner")

    def ready(self) -> None:
        # Connect the signal receivers: the audit log's sign-in and sign-out
        # events, and each session's clocks and two-step state at sign-in.
        from recovery import audit, security  # noqa: F401
