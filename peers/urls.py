"""Every URL of peers, by who uses it. Each view checks its role itself
(`role_required`); the grouping here is for the reader."""

from django.urls import path

from goals.models import PlanKind
from peers.views import conversation, digest, member, supporter
from peers.views.coordinator import batch, matches, people, report, waiting

app_name = "peers"

urlpatterns = [
    # --- Members: my supporter, my preferences, their ideas, our conversation ---
    path("my-supporter/", member.my_supporter_detail, name="my-supporter"),
    path("my-supporter/change/", member.change_request_create, name="change-request"),
    path(
        "my-supporter/change/withdraw/",
        member.change_request_withdraw,
        name="change-request-withdraw",
    ),
    path("my-supporter/preferences/", member.preferences_edit, name="preferences"),
    path(
        "suggestions/<id:pk>/accept/",
        member.suggestion_accept,
        name="suggestion-accept",
    ),
    path(
        "suggestions/<id:pk>/decline/",
        member.suggestion_decline,
        name="suggestion-decline",
    ),
    path(
        "suggestions/<id:pk>/take-back/",
        member.suggestion_take_back,
        name="suggestion-take-back",
    ),
    path(
        "my-supporter/conversation/",
        conversation.conversation_detail,
        name="conversation",
    ),
    path(
        "my-supporter/conversation/<id:match_id>/",
        conversation.conversation_earlier_detail,
        name="conversation-earlier",
    ),
    # --- Peer supporters: the caseload and one member of it -----------------------
    path("supporter/", supporter.caseload_list, name="caseload"),
    path("supporter/members/<id:pk>/", supporter.member_detail, name="member"),
    path(
        "supporter/members/<id:pk>/safety-plan/",
        supporter.member_plan_detail,
        {"kind": PlanKind.SAFETY},
        name="member-safety-plan",
    ),
    path(
        "supporter/members/<id:pk>/wellness-plan/",
        supporter.member_plan_detail,
        {"kind": PlanKind.WELLNESS},
        name="member-wellness-plan",
    ),
    path(
        "supporter/members/<id:pk>/encourage/",
        supporter.encouragement_send,
        name="encourage",
    ),
    path(
        "supporter/members/<id:pk>/suggest/",
        supporter.goal_suggest,
        name="suggest-goal",
    ),
    path(
        "supporter/members/<id:pk>/goals/<id:goal_pk>/suggest/",
        supporter.step_suggest,
        name="suggest-step",
    ),
    path(
        "supporter/members/<id:pk>/contacts/",
        supporter.contact_add,
        name="contact-add",
    ),
    path(
        "supporter/members/<id:pk>/contact-log/",
        supporter.contact_list,
        name="contact-list",
    ),
    path(
        "supporter/members/<id:pk>/questionnaires/",
        supporter.measure_total_list,
        name="member-measures",
    ),
    path(
        "supporter/members/<id:pk>/crisis-follow-up/",
        supporter.crisis_flag_follow_up,
        name="crisis-follow-up",
    ),
    path(
        "supporter/members/<id:pk>/conversation/",
        conversation.member_conversation_detail,
        name="member-conversation",
    ),
    # --- Supporters and coordinators: their digest --------------------------------
    path("digest/", digest.digest_edit, name="digest"),
    path("digest/toggle/", digest.digest_toggle, name="digest-toggle"),
    # --- Coordinators: who waits, and suggestions for one member ------------------
    path("coordinator/", waiting.waiting_list, name="waiting"),
    path(
        "coordinator/members/<id:member_id>/",
        waiting.member_detail,
        name="member-history",
    ),
    path(
        "coordinator/members/<id:member_id>/suggestions/",
        waiting.suggestion_list,
        name="suggestions",
    ),
    # --- Coordinators: matches ----------------------------------------------------
    path("coordinator/matches/", matches.match_list, name="match-history"),
    path("coordinator/matches/new/", matches.match_create, name="match-create"),
    path("coordinator/matches/<id:match_id>/end/", matches.match_end, name="match-end"),
    path("coordinator/batch/", batch.batch_review, name="batch"),
    # --- Coordinators: the programme report ---------------------------------------
    path("coordinator/report/", report.report_detail, name="report"),
    path("coordinator/report.csv", report.report_download, name="report-csv"),
    # --- Coordinators: people -----------------------------------------------------
    path("coordinator/supporters/", people.supporter_list, name="supporters"),
    path(
        "coordinator/supporters/<id:supporter_id>/",
        people.supporter_edit,
        name="supporter-edit",
    ),
    path("coordinator/areas/", people.area_list, name="areas"),
    path(
        "coordinator/areas/<id:area_id>/remove/",
        people.area_remove,
        name="area-remove",
    ),
    path("coordinator/invitations/", people.invitation_list, name="invitations"),
    path(
        "coordinator/invitations/<id:invitation_id>/withdraw/",
        people.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path(
        "coordinator/people/<id:user_id>/password-link/",
        people.password_link_make,
        name="password-link-make",
    ),
    path(
        "coordinator/people/<id:user_id>/deactivate/",
        people.person_deactivate,
        name="deactivate",
    ),
]
