from django.contrib import admin

from goals.models import CheckIn, Goal, Step, Strength, WellnessTool


class StepInline(admin.TabularInline):
    model = Step
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "member", "domain", "status", "shared"]
    list_filter = ["status", "domain"]
    raw_id_fields = ["member"]
    inlines = [StepInline]


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ["member", "day", "skipped"]
    raw_id_fields = ["member"]
    date_hierarchy = "day"


admin.site.register(Strength)
admin.site.register(WellnessTool)
