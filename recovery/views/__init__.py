"""The recovery app's views, a module for each thing a person does (as wagtail
splits its admin views); recovery/urls.py names every one.

- pages.py          each person's start, account settings, the crisis page, the
                    health checks, sign-out and the 500 page
- two_factor.py     two-step sign-in: setting it up, the code, backup codes
- invitations.py    the page an invitation link opens
- password_links.py the page a set-your-password link opens
- notifications.py  the bell, its list and each person's choices
- crisis_lines.py   the coordinators' page for the programme's crisis lines
- security.py       the coordinators' security events and a member's "who
                    viewed my data"
"""
