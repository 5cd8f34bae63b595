"""The programme's crisis lines, kept in the database and set by coordinators.

A new programme starts with one line, 988 (the US Suicide & Crisis Lifeline),
marked as the default until a coordinator saves the programme's own. Reversing
removes that default line if it is still as it came; lines a coordinator saved
go with the table.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


DEFAULT_LINE = {
    "name": "988 Suicide & Crisis Lifeline (US)",
    "contact": "988",
    "kind": "both",
    "hours": "any time, day or night",
}


def add_the_988_line(apps, schema_editor):
    CrisisLine = apps.get_model("recovery", "CrisisLine")
    if not CrisisLine.objects.exists():
        CrisisLine.objects.create(**DEFAULT_LINE, position=0, is_default=True)


def remove_the_988_line(apps, schema_editor):
    CrisisLine = apps.get_model("recovery", "CrisisLine")
    CrisisLine.objects.filter(is_default=True, **DEFAULT_LINE).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('recovery', '0008_email_dropped'),
    ]

    operations = [
        migrations.CreateModel(
            name='CrisisLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('contact', models.CharField(help_text='The number people call or text, as it is written: 988, 116 123.', max_length=40, verbose_name='number')),
                ('kind', models.CharField(choices=[('call', 'Calls'), ('text', 'Texts'), ('both', 'Calls and texts')], default='both', max_length=8, verbose_name='takes')),
                ('hours', models.CharField(blank=True, help_text='When it answers, as it follows the number: “any time, day or night”, “weekdays 9am to 5pm”.', max_length=120, verbose_name='hours')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='place in the list')),
                ('is_default', models.BooleanField(default=False, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['position', 'pk'],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['call', 'text', 'both'])), name='crisis_line_kind_valid', violation_error_message='Please choose calls, texts or both.'), models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='crisis_line_has_a_name', violation_error_message='A crisis line needs its name.'), models.CheckConstraint(condition=models.Q(('contact__regex', '^\\+?[0-9][0-9 ().-]*$')), name='crisis_line_contact_is_a_number', violation_error_message='Write the number with digits (spaces, dashes and a leading + are fine).'), models.UniqueConstraint(django.db.models.functions.text.Lower('name'), name='crisis_line_name_once', violation_error_message='A line with this name is already listed.')],
            },
        ),
        migrations.RunPython(add_the_988_line, remove_the_988_line),
    ]
