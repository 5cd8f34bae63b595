"""Coordinator pages: waiting list, supporters, suggestions, matches, batch matching,
programme report, invitations."""

urlpatterns: list = []
