from django.urls import path

from reminders import push_views, views

app_name = "reminders"

urlpatterns = [
    path("reminders/act/<str:token>/", views.ActionView.as_view(), name="act"),
    # At the root: a service worker controls only the pages under its own path.
    path("sw.js", push_views.service_worker, name="service_worker"),
    path("push/subscribe/", push_views.subscribe, name="push_subscribe"),
    path("push/unsubscribe/", push_views.unsubscribe, name="push_unsubscribe"),
]
