"""Consent records, and `Sharing.numbers_shared` made a copy of the numbers consent.

Numbers are now private until the member consents. A member who already had a
sharing row with numbers shared keeps them shared, and gets the consent record
that now stands behind it, dated when their choice was last saved.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def record_numbers_consents(apps, schema_editor):
    Sharing = apps.get_model("goals", "Sharing")
    Consent = apps.get_model("goals", "Consent")
    Consent.objects.bulk_create(
        [
            Consent(
                member_id=sharing.member_id,
                what="numbers_to_supporter",
                to_whom="my peer supporter",
                given_at=sharing.updated_at,
            )
            for sharing in Sharing.objects.filter(numbers_shared=True).iterator()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0004_goal_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="sharing",
            name="numbers_shared",
            field=models.BooleanField(
                default=False,
                help_text="Only while you consent to it; see your consent records.",
                verbose_name="my wellbeing and hope numbers are shared",
            ),
        ),
        migrations.CreateModel(
            name="Consent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "what",
                    models.CharField(
                        choices=[
                            (
                                "numbers_to_supporter",
                                "My peer supporter sees my wellbeing and hope numbers",
                            ),
                            (
                                "crisis_flag_to_supporter",
                                "My peer supporter is told when a check-in says "
                                "things are very hard",
                            ),
                            ("email_reminders", "Reminders by email"),
                        ],
                        max_length=32,
                        verbose_name="what",
                    ),
                ),
                (
                    "to_whom",
                    models.CharField(
                        help_text="Who may see or do it, in the words shown when it "
                        "was given.",
                        max_length=100,
                        verbose_name="to whom",
                    ),
                ),
                (
                    "given_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="given"
                    ),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="Empty while the consent is still given.",
                        null=True,
                        verbose_name="withdrawn",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="consents",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-given_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("withdrawn_at__isnull", True)),
                        fields=("member", "what"),
                        name="one_open_consent_per_member_and_what",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "what__in",
                                [
                                    "numbers_to_supporter",
                                    "crisis_flag_to_supporter",
                                    "email_reminders",
                                ],
                            )
                        ),
                        name="consent_what_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("withdrawn_at__isnull", True),
                            ("withdrawn_at__gte", models.F("given_at")),
                            _connector="OR",
                        ),
                        name="consent_withdrawn_after_given",
                    ),
                ],
            },
        ),
        migrations.RunPython(record_numbers_consents, migrations.RunPython.noop),
    ]
