"""Kind to slips: a way back from removing a step, a strength or a wellness tool,
and a day missed filled in later.

Each gets `removed_at` (empty: kept), with a partial index for the worker that
forgets removed rows. A tool's name is unique among the tools still on the list,
so a removed tool that past check-ins keep leaves its name free. Reversing this
migration fails while a removed tool and a listed one share a name (the old
constraint could not hold); nothing is deleted to make it pass. Rows removed at
the time come back as kept.

A check-in gets `filled_in_later`: its numbers were written after its day. Every
check-in made before this migration was made on its day, so all start as False.
"""

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('goals', '0013_recovery_measures'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='checkin',
            name='filled_in_later',
            field=models.BooleanField(default=False, help_text='Written after its day, for a day missed.', verbose_name='filled in later'),
        ),
        migrations.RemoveConstraint(
            model_name='wellnesstool',
            name='wellness_tool_name_unique_per_member',
        ),
        migrations.AddField(
            model_name='step',
            name='removed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='removed'),
        ),
        migrations.AddField(
            model_name='strength',
            name='removed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='removed'),
        ),
        migrations.AddField(
            model_name='wellnesstool',
            name='removed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='removed'),
        ),
        migrations.AddIndex(
            model_name='step',
            index=models.Index(condition=models.Q(('removed_at__isnull', False)), fields=['removed_at'], name='step_removed'),
        ),
        migrations.AddIndex(
            model_name='strength',
            index=models.Index(condition=models.Q(('removed_at__isnull', False)), fields=['removed_at'], name='strength_removed'),
        ),
        migrations.AddIndex(
            model_name='wellnesstool',
            index=models.Index(condition=models.Q(('removed_at__isnull', False)), fields=['removed_at'], name='wellness_tool_removed'),
        ),
        migrations.AddConstraint(
            model_name='wellnesstool',
            constraint=models.UniqueConstraint(models.F('member'), django.db.models.functions.text.Lower('name'), condition=models.Q(('removed_at__isnull', True)), name='wellness_tool_name_unique_per_member', violation_error_message='This is already on your list.'),
        ),
    ]
