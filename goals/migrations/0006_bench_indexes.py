"""An index found missing by the load benchmark (make bench): the programme report
counts goals achieved per month over every member's journey, which scanned the
whole journey table (518,645 rows: 41 ms; with the index 8 ms)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0005_consent"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="journeyevent",
            index=models.Index(
                fields=["kind", "occurred_at"], name="journey_kind_at"
            ),
        ),
    ]
