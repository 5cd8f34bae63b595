from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from recovery.models import AuditEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (None, {"fields": ["role", "time_zone"]}),
    ]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log has no edit or delete path anywhere in the app."""

    list_display = ["at", "kind", "what", "actor_name", "actor_role", "path", "status"]
    list_filter = ["kind", "actor_role"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
