"""Invitations can be withdrawn, and an invitation with an address gets its link
by email: an outgoing email goes to a person or to an invitation (whose person
has no account yet), never both.

Going back removes the invitation emails (they need the column that goes)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forget_invitation_emails(apps, schema_editor):
    OutgoingEmail = apps.get_model("recovery", "OutgoingEmail")
    OutgoingEmail.objects.filter(user__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("recovery", "0009_programme_crisis_lines"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="invitation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="recovery.invitation",
            ),
        ),
        migrations.AlterField(
            model_name="outgoingemail",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, forget_invitation_emails),
        migrations.AddConstraint(
            model_name="outgoingemail",
            constraint=models.UniqueConstraint(
                fields=("invitation", "kind", "key"),
                name="one_email_per_invitation_kind_and_key",
                violation_error_message="This email was already asked for.",
            ),
        ),
        migrations.AddConstraint(
            model_name="outgoingemail",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("invitation__isnull", True), ("user__isnull", False)),
                    models.Q(("invitation__isnull", False), ("user__isnull", True)),
                    _connector="OR",
                ),
                name="outgoing_email_has_one_recipient",
                violation_error_message=(
                    "An email goes to one person or one invitation."
                ),
            ),
        ),
    ]
