"""One-time "set your password" links a coordinator makes for someone without an
email address, and the audit log's two kinds of event for them.

Going back works while no such event is in the log; once there is one, it refuses
rather than lose it (the log is append-only)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

KINDS = [
    ("viewed", "saw a member's data"),
    ("refused", "refused"),
    ("signed_in", "signed in"),
    ("sign_in_failed", "sign-in failed"),
    ("signed_out", "signed out"),
    ("exported", "downloaded their data"),
    ("account_deleted", "deleted their account"),
    ("password_link_made", "made a set-your-password link"),
    ("password_link_used", "set a password with a link"),
]


class Migration(migrations.Migration):

    dependencies = [
        ("recovery", "0010_invitation_withdrawn_and_email"),
    ]

    operations = [
        migrations.CreateModel(
            name="PasswordLink",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                ("used_at", models.DateTimeField(blank=True, null=True)),
                ("withdrawn_at", models.DateTimeField(blank=True, null=True)),
                ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="password_links", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("expires_at__gt", models.F("created_at"))),
                        name="password_link_expires_after_creation",
                        violation_error_message="A link must end after the moment it is made.",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("used_at__isnull", True), ("withdrawn_at__isnull", True)),
                        fields=("user",),
                        name="one_open_password_link_per_person",
                        violation_error_message="This person already has an open link: it was withdrawn first.",
                    ),
                ],
            },
        ),
        migrations.RemoveConstraint(
            model_name="auditevent",
            name="audit_event_kind_valid",
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=24, verbose_name="kind"),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", [value for value, _words in KINDS])),
                name="audit_event_kind_valid",
                violation_error_message="This kind of event is not one the log knows.",
            ),
        ),
    ]
