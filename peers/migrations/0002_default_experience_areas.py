"""The starting list of lived-experience areas. Coordinators can edit it; removing
the migration's rows on the way back leaves areas people added themselves."""

from django.db import migrations

AREAS = [
    "Substance use",
    "Depression and anxiety",
    "Psychosis",
    "Bipolar",
    "Trauma",
    "Eating",
    "Homelessness",
    "Justice involvement",
    "LGBTQ+",
    "Veteran",
    "Parenting",
    "Grief",
]


def add_areas(apps, schema_editor):
    ExperienceArea = apps.get_model("peers", "ExperienceArea")
    for name in AREAS:
        ExperienceArea.objects.get_or_create(name=name)


def remove_areas(apps, schema_editor):
    ExperienceArea = apps.get_model("peers", "ExperienceArea")
    ExperienceArea.objects.filter(name__in=AREAS).delete()


class Migration(migrations.Migration):
    dependencies = [("peers", "0001_initial")]

    operations = [migrations.RunPython(add_areas, remove_areas)]
