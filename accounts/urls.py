from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("delete/", views.DeleteAccountView.as_view(), name="delete"),
]
