from django.urls import path

from goals import privacy, views

app_name = "goals"

urlpatterns = [
    path("today/", views.home, name="home"),
    path("goals/", views.goal_list, name="list"),
    path("goals/new/", views.goal_create, name="create"),
    path("goals/<int:pk>/", views.goal_detail, name="detail"),
    path("goals/<int:pk>/edit/", views.goal_edit, name="edit"),
    path("goals/<int:pk>/status/", views.goal_status, name="status"),
    path("goals/<int:pk>/ladder/", views.goal_ladder, name="ladder"),
    path("goals/<int:pk>/steps/", views.step_add, name="step-add"),
    path("steps/<int:pk>/toggle/", views.step_toggle, name="step-toggle"),
    path("steps/<int:pk>/delete/", views.step_delete, name="step-delete"),
    path("strengths/", views.strength_list, name="strengths"),
    path("strengths/<int:pk>/delete/", views.strength_delete, name="strength-delete"),
    path("tools/", views.tool_list, name="tools"),
    path("tools/<int:pk>/toggle/", views.tool_toggle, name="tool-toggle"),
    path("check-in/", views.checkin, name="checkin"),
    path("check-in/skip/", views.checkin_skip, name="checkin-skip"),
    path("timeline/", views.timeline, name="timeline"),
]

# The privacy page and what it leads to keep their routes beside their views.
urlpatterns += privacy.urlpatterns
