from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import CreateView, FormView, TemplateView, UpdateView, View

from accounts import emails, theme, tokens
from accounts.forms import (
    AccessTokenForm,
    DeleteAccountForm,
    PasswordChangeForm,
    PasswordResetForm,
    SettingsForm,
    SignInForm,
    SignUpForm,
)
from accounts.models import Theme
from accounts.validators import available_timezones
from todos import feed
from todos.models import Project


class RedirectSignedInMixin:
    """Send someone who is already signed in on to the app."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("todos:today")
        return super().dispatch(request, *args, **kwargs)


class RequestFormMixin:
    """Give the form the request, which checking a password through django-axes needs."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


@method_decorator(login_not_required, name="dispatch")
class SignUpView(RedirectSignedInMixin, CreateView):
    form_class = SignUpForm
    template_name = "registration/signup.html"
    success_url = reverse_lazy("todos:today")

    def form_valid(self, form):
        response = super().form_valid(form)
        login(self.request, self.object, backend="accounts.backends.UsernameOrEmailBackend")
        # Said alike whether or not the address already has an account.
        emails.ask_to_confirm(self.object, self.request, reason=emails.Reason.SIGNUP)
        messages.success(
            self.request,
            f"Welcome to Ticklist, {self.object.name}! We sent a link to "
            f"{self.object.pending_email} to confirm your address.",
        )
        return response


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if not form.cleaned_data.get("remember_me"):
            # Expire the session cookie when the browser closes.
            self.request.session.set_expiry(0)
        return response


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You have signed out.")
        # Drop cached pages of the account. Not "cookies": Django already expires
        # the session, and the goodbye message travels in a cookie.
        response["Clear-Site-Data"] = '"cache"'
        return response


class PasswordChangeView(RequestFormMixin, auth_views.PasswordChangeView):
    form_class = PasswordChangeForm


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm


class SettingsView(UpdateView):
    form_class = SettingsForm
    template_name = "accounts/settings.html"
    success_url = reverse_lazy("accounts:settings")

    def get_object(self, queryset=None):
        return self.request.user

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            timezones=sorted(available_timezones()), **calendar_feeds(self.request), **kwargs
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your settings have been saved.")
        if form.address_to_confirm:
            emails.ask_to_confirm(self.object, self.request, reason=emails.Reason.CHANGE)
            messages.info(self.request, waiting_message(self.object))
        return response


def calendar_feeds(request) -> dict:
    """Return the addresses of the person's calendar feeds, making their token the first time."""
    token = feed.token_for(request.user)
    projects = Project.objects.for_user(request.user).active()
    return {
        "calendar_feed_url": request.build_absolute_uri(
            reverse("todos:calendar_feed", args=[token])
        ),
        "project_calendar_feeds": [
            (
                project,
                request.build_absolute_uri(
                    reverse("todos:project_calendar_feed", args=[token, project.pk])
                ),
            )
            for project in projects
        ],
    }


class CalendarTokenResetView(TemplateView):
    """Ask before giving the calendar feed a new address; the old one then stops working."""

    template_name = "accounts/calendar_token_reset.html"

    def post(self, request, *args, **kwargs):
        feed.renew_token(request.user)
        messages.success(
            request,
            "Your calendar feed has a new address: subscribe to it again in your calendar apps. "
            "The old address no longer works.",
        )
        return HttpResponseRedirect(reverse("accounts:settings") + "#calendar-feed")


def waiting_message(user) -> str:
    kept = f"your address stays {user.email}" if user.email else "sign in with your username"
    return f"We sent a link to {user.pending_email} to confirm it. Until you open it, {kept}."


class ConfirmEmailView(TemplateView):
    """Show the address a link confirms, with a button: confirming changes the account."""

    template_name = "accounts/confirm_email.html"

    def get_context_data(self, **kwargs):
        if "address" not in kwargs:
            kwargs["address"] = emails.address_confirmed_by(
                self.kwargs["token"], self.request.user
            )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        address = emails.address_confirmed_by(self.kwargs["token"], request.user)
        if address and emails.confirm(request.user, address):
            messages.success(
                request, f"{address} is now your email address. You can sign in with it."
            )
            return redirect("accounts:settings")
        # Used, too old, another account's, or its address was taken meanwhile.
        return self.render_to_response(self.get_context_data(address=""))


class ResendConfirmationView(View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if request.user.pending_email:
            emails.ask_to_confirm(request.user, request, reason=emails.Reason.CHANGE)
            messages.info(request, waiting_message(request.user))
        return redirect("accounts:settings")


class CancelEmailChangeView(View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        user = request.user
        if user.pending_email:
            cancelled, user.pending_email = user.pending_email, ""
            user.save(update_fields=["pending_email"])
            messages.info(request, f"{cancelled} will not become your email address.")
        return redirect("accounts:settings")


class DeleteAccountView(RequestFormMixin, FormView):
    form_class = DeleteAccountForm
    template_name = "accounts/delete.html"
    success_url = reverse_lazy("pages:home")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        with transaction.atomic():
            user.delete()
        logout(self.request)
        messages.success(self.request, "Your account and everything in it have been deleted.")
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(login_not_required, name="dispatch")
class ThemeView(View):
    """Keep the chosen theme: on the account, and in a cookie for signed-out pages."""

    http_method_names = ["post"]

    def post(self, request):
        choice = request.POST.get("theme", "")
        if choice not in Theme.values:
            if request.htmx:
                return HttpResponse(status=400)
            messages.error(request, "Choose a theme: same as this device, light or dark.")
            return self.answer(request)
        if request.user.is_authenticated and request.user.theme != choice:
            request.user.theme = choice
            request.user.save(update_fields=["theme"])
        response = self.answer(request)
        response.set_cookie(
            theme.COOKIE,
            choice,
            max_age=theme.COOKIE_AGE,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
        return response

    @staticmethod
    def answer(request):
        if request.htmx:
            # The page applies the theme itself; nothing on it is replaced.
            return HttpResponse(status=204)
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("todos:today" if request.user.is_authenticated else "pages:home")
        return HttpResponseRedirect(target, status=303)


class TokensView(FormView):
    """List the person's API tokens and make a new one, whose secret is shown once."""

    template_name = "accounts/tokens.html"
    form_class = AccessTokenForm
    # The secret waits in the server-side session for the page after the redirect.
    SESSION_KEY = "new_access_token"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owner": self.request.user}

    def get_context_data(self, **kwargs):
        new = (
            self.request.session.pop(self.SESSION_KEY, None)
            if self.request.method == "GET"
            else None
        )
        return super().get_context_data(
            tokens=self.request.user.access_tokens.all(),
            new_token=new,
            now=timezone.now(),
            **kwargs,
        )

    def form_valid(self, form):
        token, secret = tokens.create(
            owner=self.request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.expires_at(timezone.now()),
            ends_with_password=form.cleaned_data["ends_with_password"],
        )
        self.request.session[self.SESSION_KEY] = {"name": token.name, "secret": secret}
        return HttpResponseRedirect(reverse("accounts:tokens") + "#new-token")


class TokenRevokeView(TemplateView):
    """Ask before revoking a token; once revoked it stops working at once."""

    template_name = "accounts/token_revoke.html"

    def dispatch(self, request, *args, pk, **kwargs):
        self.token = get_object_or_404(request.user.access_tokens, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(token=self.token, **kwargs)

    def post(self, request, *args, **kwargs):
        tokens.revoke(self.token)
        messages.success(
            request, f"The token “{self.token.name}” was revoked: it no longer works."
        )
        return HttpResponseRedirect(reverse("accounts:tokens"))
