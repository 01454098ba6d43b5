from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Preferences", {"fields": ("timezone",)}))
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Preferences", {"fields": ("email", "timezone")}),
    )
