from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("act/<str:token>/", views.ActionView.as_view(), name="act"),
]
