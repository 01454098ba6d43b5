from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = (
        "username",
        "email",
        "display_name",
        "date_joined",
        "last_login",
        "is_staff",
    )
    list_filter = ("is_staff", "is_active", "is_superuser")
    search_fields = ("username", "email", "display_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Email confirmation", {"fields": ("pending_email",)}),
        ("Preferences", {"fields": ("display_name", "timezone", "week_start")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Preferences", {"fields": ("email", "timezone")}),
    )
