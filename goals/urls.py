"""Every URL of the member's own pages, grouped as a member meets them.

Each page is a member's own (`goals.views.common.member_only`), except the two
that say otherwise: the goodbye after an account is deleted, and the stop link
in a reminder email. The names are used by templates, emails and tests: they
stay as they are.
"""

from django.urls import path

from goals.models import PlanKind
from goals.views import (
    checkin,
    goals,
    home,
    measures,
    plans,
    privacy,
    reminders,
    strengths,
    timeline,
    tools,
)

app_name = "goals"

# Which plan a plan page is about: the two plans share their views.
SAFETY = {"kind": PlanKind.SAFETY}
WELLNESS = {"kind": PlanKind.WELLNESS}

urlpatterns = [
    # --- Today ---------------------------------------------------------------------
    path("today/", home.home, name="home"),
    # --- Goals and their steps -----------------------------------------------------
    path("goals/", goals.goal_list, name="list"),
    path("goals/new/", goals.goal_create, name="create"),
    path("goals/<id:pk>/", goals.goal_detail, name="detail"),
    path("goals/<id:pk>/edit/", goals.goal_edit, name="edit"),
    path("goals/<id:pk>/status/", goals.goal_set_status, name="status"),
    path("goals/<id:pk>/ladder/", goals.goal_set_ladder, name="ladder"),
    path("goals/<id:pk>/steps/", goals.step_add, name="step-add"),
    path("steps/<id:pk>/toggle/", goals.step_toggle, name="step-toggle"),
    path("steps/<id:pk>/edit/", goals.step_edit, name="step-edit"),
    path("steps/<id:pk>/delete/", goals.step_remove, name="step-delete"),
    path("steps/<id:pk>/undo/", goals.step_undo, name="step-undo"),
    # --- Strengths, and what helps (wellness tools) --------------------------------
    path("strengths/", strengths.strength_list, name="strengths"),
    path(
        "strengths/<id:pk>/delete/", strengths.strength_remove, name="strength-delete"
    ),
    path("strengths/<id:pk>/undo/", strengths.strength_undo, name="strength-undo"),
    path("tools/", tools.tool_list, name="tools"),
    path("tools/<id:pk>/toggle/", tools.tool_toggle, name="tool-toggle"),
    path("tools/<id:pk>/remove/", tools.tool_remove, name="tool-remove"),
    path("tools/<id:pk>/undo/", tools.tool_undo, name="tool-undo"),
    # --- Checking in, and the journey it makes -------------------------------------
    path("check-in/", checkin.checkin_form, name="checkin"),
    path("check-in/skip/", checkin.checkin_skip, name="checkin-skip"),
    path("timeline/", timeline.timeline_detail, name="timeline"),
    # --- Recovery questionnaires ---------------------------------------------------
    path("measures/", measures.measure_list, name="measures"),
    path("measures/<slug:measure>/", measures.measure_detail, name="measure"),
    path(
        "measures/<slug:measure>/start/",
        measures.measure_start,
        name="measure-start",
    ),
    path(
        "measures/<slug:measure>/all/", measures.measure_answer_all, name="measure-all"
    ),
    path(
        "measures/<slug:measure>/check/",
        measures.measure_review,
        name="measure-review",
    ),
    path(
        "measures/<slug:measure>/finish/",
        measures.measure_finish,
        name="measure-finish",
    ),
    path(
        "measures/<slug:measure>/let-go/",
        measures.measure_discard,
        name="measure-discard",
    ),
    path(
        "measures/<slug:measure>/<id:item>/",
        measures.measure_answer,
        name="measure-item",
    ),
    # --- The safety plan and the wellness plan -------------------------------------
    # Each plan's names start with its slug (goals.views.plans.SLUG).
    path("safety-plan/", plans.plan_detail, SAFETY, name="safety-plan"),
    path(
        "safety-plan/items/",
        plans.plan_item_add,
        SAFETY,
        name="safety-plan-item-add",
    ),
    path(
        "safety-plan/sharing/",
        plans.plan_set_shared,
        SAFETY,
        name="safety-plan-sharing",
    ),
    path(
        "safety-plan/versions/",
        plans.plan_version_list,
        SAFETY,
        name="safety-plan-versions",
    ),
    path("wellness-plan/", plans.plan_detail, WELLNESS, name="wellness-plan"),
    path(
        "wellness-plan/items/",
        plans.plan_item_add,
        WELLNESS,
        name="wellness-plan-item-add",
    ),
    path(
        "wellness-plan/sharing/",
        plans.plan_set_shared,
        WELLNESS,
        name="wellness-plan-sharing",
    ),
    path(
        "wellness-plan/versions/",
        plans.plan_version_list,
        WELLNESS,
        name="wellness-plan-versions",
    ),
    # Items and versions carry their plan: one URL serves both plans.
    path("plan-items/<id:pk>/edit/", plans.plan_item_edit, name="plan-item-edit"),
    path("plan-items/<id:pk>/delete/", plans.plan_item_remove, name="plan-item-delete"),
    path("plan-items/<id:pk>/move/", plans.plan_item_move, name="plan-item-move"),
    path("plan-versions/<id:pk>/", plans.plan_version_detail, name="plan-version"),
    # --- Reminders -----------------------------------------------------------------
    path("reminders/", reminders.reminder_edit, name="reminders"),
    path("reminders/pause/", reminders.reminder_pause, name="reminder-pause"),
    # Public: the link in a reminder email works without signing in.
    path("reminders/stop/<str:token>/", reminders.reminder_stop, name="reminder-stop"),
    # --- Privacy: what is shared, my data, leaving ---------------------------------
    path("privacy/", privacy.privacy_detail, name="privacy"),
    path("privacy/download/", privacy.data_download, name="data-download"),
    path("privacy/delete-account/", privacy.account_delete, name="account-delete"),
    # Public: after an account is deleted there is nobody signed in.
    path("goodbye/", privacy.account_deleted, name="goodbye"),
]
