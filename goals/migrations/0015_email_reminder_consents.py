"""Reminders by email are a consent the member gives (goals.reminders.reminder_save
now records it). A member whose reminders were already on gets that consent on
record, given when they last saved their reminder."""

from django.db import migrations


def record_consents(apps, schema_editor):
    Reminder = apps.get_model("goals", "Reminder")
    Consent = apps.get_model("goals", "Consent")
    already = set(
        Consent.objects.filter(
            what="email_reminders", withdrawn_at__isnull=True
        ).values_list("member_id", flat=True)
    )
    Consent.objects.bulk_create(
        Consent(
            member_id=reminder.member_id,
            what="email_reminders",
            to_whom="the programme, by email",
            given_at=reminder.updated_at,
        )
        for reminder in Reminder.objects.filter(on=True).exclude(member_id__in=already)
    )


class Migration(migrations.Migration):
    dependencies = [("goals", "0014_kind_to_slips")]

    # Going back keeps the records: a consent, once on record, is never erased
    # (the member's history of what they agreed to).
    operations = [migrations.RunPython(record_consents, migrations.RunPython.noop)]
