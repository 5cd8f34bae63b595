"""Pages for the people around a member, one module per role:
`member` (my supporter, preferences, suggestions), `supporter` (caseload, member
view, encouragement, contact log) and `coordinator`, a package with one module per
job (waiting list, matches, batch, report, people)."""
