"""How every form's fields render: a text field says its limit instead of cutting.

A browser cuts pasted text at an input's `maxlength` without a word (a 5,000
character note became 4,000). So text fields render without it, say their limit
in words beside them (templates/includes/field.html), say how much is left as a
person nears it (static/js/limits.js), and the form refuses too much, in words.
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

TEXT_WIDGETS = (forms.TextInput, forms.Textarea)


class LimitSaidBoundField(BoundField):
    @property
    def limit(self) -> int | None:
        """The most characters this field takes, if it is free text with a limit."""
        widget = self.field.widget
        if type(widget) not in TEXT_WIDGETS:  # not email, password, number, url
            return None
        return getattr(self.field, "max_length", None)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if limit := self.limit:
            attrs["maxlength"] = False  # False leaves the attribute out
            attrs["data-limit"] = limit
            if self.auto_id:  # the line templates/includes/field.html writes
                described = (
                    attrs.get("aria-describedby")
                    or self.field.widget.attrs.get("aria-describedby")
                    or ""
                )
                attrs["aria-describedby"] = f"{described} {self.auto_id}_limit".strip()
        return attrs


class Renderer(DjangoTemplates):
    bound_field_class = LimitSaidBoundField
