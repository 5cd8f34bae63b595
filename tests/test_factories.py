"""Every model has a factory, and each factory builds a valid row."""

import pytest
from django.apps import apps

from tests import factories

pytestmark = pytest.mark.django_db

OURS = ("recovery", "goals", "peers")


def all_factories():
    return {
        f._meta.model: f
        for f in vars(factories).values()
        if isinstance(f, type)
        and issubclass(f, factories.factory.django.DjangoModelFactory)
        and f._meta.model is not None
    }


def test_every_model_of_ours_has_a_factory():
    models = {
        m
        for m in apps.get_models()
        if m._meta.app_label in OURS and not m._meta.auto_created
    }
    missing = sorted(m.__name__ for m in models - set(all_factories()))
    assert missing == []


@pytest.mark.parametrize(
    "factory_class", sorted(all_factories().values(), key=lambda f: f.__name__)
)
def test_each_factory_builds_a_valid_row(factory_class):
    made = factory_class()
    made.full_clean(exclude=["password", "token_hash"])
    assert made.pk is not None and str(made)
