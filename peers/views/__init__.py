"""Pages for the people around a member, one module per role:
`member` (my supporter, preferences, suggestions), `supporter` (caseload, member
view, encouragement, contact log) and `coordinator` (waiting list, matching,
programme report)."""
