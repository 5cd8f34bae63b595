import uuid

from django import template
from django.utils.html import format_html

from recovery.once import FIELD

register = template.Library()


@register.simple_tag
def once_field() -> str:
    """A create form's one-time key (see recovery.once): fresh on every page."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4()
    )
