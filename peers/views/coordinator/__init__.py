"""Coordinator pages, one module per job (as wagtail splits its admin views):
`waiting` (the waiting list, one member's page, suggestions), `matches` (make,
end, history), `batch` (batch matching), `report` (the programme report and its
CSV) and `people` (supporters, experience areas, invitations, set-your-password
links, deactivation); `lookup` holds what they share."""
