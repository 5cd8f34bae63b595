from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = _("Peer support")

    def ready(self) -> None:
        from goals import extensions
        from peers.extensions import (
            EXPORTS,
            encouragement_replies,
            end_match_before_account_delete,
            member_home_panel,
            privacy_panel,
        )

        extensions.home_panels.append(member_home_panel)
        extensions.journey_replies.append(encouragement_replies)
        extensions.privacy_panels.append(privacy_panel)
        extensions.exports.extend(EXPORTS)
        extensions.before_account_delete.append(end_match_before_account_delete)
