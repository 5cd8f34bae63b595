from django.urls import path

from peers.views import conversation, digest, member, supporter
from peers.views.coordinator import batch, matches, people, report, waiting

app_name = "peers"

# Each member's and supporter's module keeps its own routes beside its views.
urlpatterns = (
    member.urlpatterns
    + supporter.urlpatterns
    + conversation.urlpatterns
    + digest.urlpatterns
)

# Coordinators.
urlpatterns += [
    path("coordinator/", waiting.waiting, name="waiting"),
    path("coordinator/supporters/", people.supporters, name="supporters"),
    path(
        "coordinator/supporters/<id:supporter_id>/",
        people.supporter_edit,
        name="supporter-edit",
    ),
    path("coordinator/areas/", people.areas, name="areas"),
    path(
        "coordinator/areas/<id:area_id>/remove/",
        people.area_remove,
        name="area-remove",
    ),
    path("coordinator/members/<id:member_id>/", waiting.member, name="member-history"),
    path(
        "coordinator/members/<id:member_id>/suggestions/",
        waiting.suggestions,
        name="suggestions",
    ),
    path("coordinator/matches/", matches.matches, name="match-history"),
    path("coordinator/matches/new/", matches.match_create, name="match-create"),
    path("coordinator/matches/<id:match_id>/end/", matches.match_end, name="match-end"),
    path("coordinator/batch/", batch.batch, name="batch"),
    path("coordinator/report/", report.programme_report, name="report"),
    path("coordinator/report.csv", report.programme_report_csv, name="report-csv"),
    path("coordinator/invitations/", people.invitations, name="invitations"),
    path(
        "coordinator/invitations/<id:invitation_id>/withdraw/",
        people.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path(
        "coordinator/people/<id:user_id>/deactivate/",
        people.deactivate,
        name="deactivate",
    ),
    path(
        "coordinator/people/<id:user_id>/password-link/",
        people.password_link_make,
        name="password-link-make",
    ),
]
