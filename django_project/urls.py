"""Ticklist's URLconf: each app owns its namespace."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", include("api.urls")),
    path("accounts/webhooks/", include("webhooks.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("accounts.auth_urls")),
    path("", include("pages.urls")),
    path("", include("todos.urls")),
    path("", include("reminders.urls")),
]
