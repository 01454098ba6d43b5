from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.WebhookListView.as_view(), name="list"),
    path("<int:pk>/", views.WebhookDetailView.as_view(), name="detail"),
    path("<int:pk>/delete/", views.WebhookDeleteView.as_view(), name="delete"),
    path("<int:pk>/test/", views.WebhookActionView.as_view(action="send_test"), name="send_test"),
    path(
        "<int:pk>/secret/", views.WebhookActionView.as_view(action="rotate"), name="rotate_secret"
    ),
    path("<int:pk>/enable/", views.WebhookActionView.as_view(action="enable"), name="enable"),
    path("<int:pk>/disable/", views.WebhookActionView.as_view(action="disable"), name="disable"),
]
