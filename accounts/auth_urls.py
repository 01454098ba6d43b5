"""Django's own auth URLs and names (login, logout, password_*), with our sign-in and sign-out."""

from django.urls import include, path

from accounts import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("", include("django.contrib.auth.urls")),
]
