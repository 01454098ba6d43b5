from django.urls import path

from accounts import views
from transfer import views as transfer_views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("email/confirm/<str:token>/", views.ConfirmEmailView.as_view(), name="confirm_email"),
    path("email/resend/", views.ResendConfirmationView.as_view(), name="resend_confirmation"),
    path("email/cancel/", views.CancelEmailChangeView.as_view(), name="cancel_email_change"),
    path("theme/", views.ThemeView.as_view(), name="theme"),
    path("tokens/", views.TokensView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("delete/", views.DeleteAccountView.as_view(), name="delete"),
    path("export/", transfer_views.ExportView.as_view(), name="export"),
    path("import/", transfer_views.ImportView.as_view(), name="import"),
    path(
        "calendar/new-address/",
        views.CalendarTokenResetView.as_view(),
        name="calendar_token_reset",
    ),
]
