from django.conf import settings
from django.http import HttpRequest


def crisis(request: HttpRequest) -> dict:
    """Crisis lines for any page that needs to show them at once."""
    return {"crisis_lines": settings.CRISIS_LINES}
