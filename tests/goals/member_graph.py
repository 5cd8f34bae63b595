"""The models of ours linked to a person, found by walking the model graph.

Shared by the export and account-deletion tests, so that a new model with a path
to a member is caught by both without anyone remembering to list it.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

OURS = ("recovery", "goals", "peers")


def our_models(*, with_through: bool = False) -> list[type[models.Model]]:
    """Every model of our apps (the tables of many-to-many links only if asked)."""
    return [
        model
        for model in apps.get_models(include_auto_created=with_through)
        if model._meta.app_label in OURS
    ]


def _paths(model, seen: frozenset) -> list[str]:
    """Lookups from `model` to the User model along foreign keys, one-to-one and
    many-to-many fields, e.g. Step -> ["goal__member"]."""
    person = get_user_model()
    found = []
    for field in [*model._meta.fields, *model._meta.many_to_many]:
        target = field.related_model
        if target is None:
            continue
        if target is person:
            found.append(field.name)
        elif target._meta.app_label in OURS and target not in seen:
            found += [f"{field.name}__{p}" for p in _paths(target, seen | {model})]
    return found


def linked_models() -> dict[type[models.Model], list[str]]:
    """Each model of ours with a path to a person, and the lookups along them. The
    User model itself is linked by its own key."""
    person = get_user_model()
    linked = {person: ["pk"]}
    for model in our_models():
        if model is not person and (paths := _paths(model, frozenset())):
            linked[model] = paths
    return linked


def rows_about(model, paths: list[str], person_pk: int) -> models.QuerySet:
    """The rows of `model` that lead to the person along any of `paths`."""
    condition = reduce(or_, [models.Q(**{path: person_pk}) for path in paths])
    return model._default_manager.filter(condition)
