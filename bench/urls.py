"""Ticklist's URLconf plus the benchmark's two bare views (see bench/settings.py)."""

from django.urls import include, path

from bench import data, views

urlpatterns = [
    path(data.BARE_PATH.lstrip("/"), views.bare, name="bench_bare"),
    path(data.BARE_SIGNED_IN_PATH.lstrip("/"), views.bare_signed_in, name="bench_bare_signed_in"),
    path("", include("django_project.urls")),
]
