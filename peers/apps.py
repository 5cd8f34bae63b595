from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = _("Peer support")

    def ready(self) -> None:
        from goals import extensions
        from peers.extensions import encouragement_replies, member_home_panel

        extensions.home_panels.append(member_home_panel)
        extensions.journey_replies.append(encouragement_replies)
