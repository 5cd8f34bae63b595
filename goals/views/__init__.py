"""The member's own pages, one module for each thing a member does:

- `home`: today (the check-in prompt, active goals, next steps)
- `goals`: goals by life area, one goal and its steps
- `strengths`: the strengths inventory
- `tools`: what helps (wellness tools)
- `checkin`: checking in, filling in a missed day, skipping today
- `timeline`: the journey (its rules: goals/timeline.py)
- `measures`: the recovery questionnaires, chosen, answered, over time
- `plans`: the safety plan and the wellness plan, and their versions
- `reminders`: check-in reminders, and the stop link from their email
- `privacy`: what the supporter sees, consents, download, deleting the account

`common` holds what they share; goals/urls.py names every route.
"""
