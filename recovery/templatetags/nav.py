"""The site's navigation: one link a tag, which marks where the person is."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("includes/nav_link.html", takes_context=True)
def nav_link(context, url_name: str, label: str) -> dict:
    """A list item linking to `url_name`, marked aria-current="page" on that very
    page, and aria-current="true" on a page inside it (a goal in "My goals"), so a
    screen reader and the eye both know where they are."""
    url = reverse(url_name)
    request = context.get("request")
    path = request.path if request is not None else ""
    if path == url:
        current = "page"
    elif path.startswith(url) and url != "/":
        current = "true"
    else:
        current = ""
    return {"url": url, "label": label, "current": current}
