from django.contrib import admin
from django.urls import include, path

from recovery import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("crisis/", views.crisis, name="crisis"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("recovery.invitations")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("goals.urls")),
    path("", include("peers.urls")),
]
