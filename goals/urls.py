from django.urls import path

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

urlpatterns = [
    path("today/", home.home, name="home"),
    path("goals/", goals.goal_list, name="list"),
    path("goals/new/", goals.goal_create, name="create"),
    path("goals/<id:pk>/", goals.goal_detail, name="detail"),
    path("goals/<id:pk>/edit/", goals.goal_edit, name="edit"),
    path("goals/<id:pk>/status/", goals.goal_status, name="status"),
    path("goals/<id:pk>/ladder/", goals.goal_ladder, name="ladder"),
    path("goals/<id:pk>/steps/", goals.step_add, name="step-add"),
    path("steps/<id:pk>/toggle/", goals.step_toggle, name="step-toggle"),
    path("steps/<id:pk>/edit/", goals.step_edit, name="step-edit"),
    path("steps/<id:pk>/delete/", goals.step_delete, name="step-delete"),
    path("steps/<id:pk>/undo/", goals.step_undo, name="step-undo"),
    path("strengths/", strengths.strength_list, name="strengths"),
    path(
        "strengths/<id:pk>/delete/", strengths.strength_delete, name="strength-delete"
    ),
    path("strengths/<id:pk>/undo/", strengths.strength_undo, name="strength-undo"),
    path("tools/", tools.tool_list, name="tools"),
    path("tools/<id:pk>/toggle/", tools.tool_toggle, name="tool-toggle"),
    path("tools/<id:pk>/remove/", tools.tool_remove, name="tool-remove"),
    path("tools/<id:pk>/undo/", tools.tool_undo, name="tool-undo"),
    path("check-in/", checkin.checkin, name="checkin"),
    path("check-in/skip/", checkin.checkin_skip, name="checkin-skip"),
    path("timeline/", timeline.timeline, name="timeline"),
]

# The privacy page, reminders and the two plans keep their routes beside their views.
urlpatterns += privacy.urlpatterns
urlpatterns += reminders.urlpatterns
urlpatterns += measures.urlpatterns
urlpatterns += plans.urlpatterns
