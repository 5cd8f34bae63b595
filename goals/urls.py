from django.urls import path

from goals import measure_views, plan_views, privacy, reminder_views, views

app_name = "goals"

urlpatterns = [
    path("today/", views.home, name="home"),
    path("goals/", views.goal_list, name="list"),
    path("goals/new/", views.goal_create, name="create"),
    path("goals/<id:pk>/", views.goal_detail, name="detail"),
    path("goals/<id:pk>/edit/", views.goal_edit, name="edit"),
    path("goals/<id:pk>/status/", views.goal_status, name="status"),
    path("goals/<id:pk>/ladder/", views.goal_ladder, name="ladder"),
    path("goals/<id:pk>/steps/", views.step_add, name="step-add"),
    path("steps/<id:pk>/toggle/", views.step_toggle, name="step-toggle"),
    path("steps/<id:pk>/edit/", views.step_edit, name="step-edit"),
    path("steps/<id:pk>/delete/", views.step_delete, name="step-delete"),
    path("steps/<id:pk>/undo/", views.step_undo, name="step-undo"),
    path("strengths/", views.strength_list, name="strengths"),
    path("strengths/<id:pk>/delete/", views.strength_delete, name="strength-delete"),
    path("strengths/<id:pk>/undo/", views.strength_undo, name="strength-undo"),
    path("tools/", views.tool_list, name="tools"),
    path("tools/<id:pk>/toggle/", views.tool_toggle, name="tool-toggle"),
    path("tools/<id:pk>/remove/", views.tool_remove, name="tool-remove"),
    path("tools/<id:pk>/undo/", views.tool_undo, name="tool-undo"),
    path("check-in/", views.checkin, name="checkin"),
    path("check-in/skip/", views.checkin_skip, name="checkin-skip"),
    path("timeline/", views.timeline, name="timeline"),
]

# The privacy page, reminders and the two plans keep their routes beside their views.
urlpatterns += privacy.urlpatterns
urlpatterns += reminder_views.urlpatterns
urlpatterns += measure_views.urlpatterns
urlpatterns += plan_views.urlpatterns
