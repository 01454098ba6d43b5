from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import DeleteView, FormView

from todos.pagination import ListPage, page_number
from webhooks import services
from webhooks.forms import WebhookForm
from webhooks.models import Webhook

DELIVERIES_PER_PAGE = 20


class OwnWebhookMixin(LoginRequiredMixin):
    """Reach only the person's own webhooks: anyone else's is a 404."""

    def get_webhook(self) -> Webhook:
        return get_object_or_404(
            Webhook.objects.filter(owner=self.request.user), pk=self.kwargs["pk"]
        )


class WebhookListView(LoginRequiredMixin, FormView):
    template_name = "webhooks/webhook_list.html"
    form_class = WebhookForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owner": self.request.user}

    def get_context_data(self, **kwargs):
        webhooks = Webhook.objects.filter(owner=self.request.user)
        return super().get_context_data(webhooks=webhooks, **kwargs)

    def form_valid(self, form):
        webhook = services.create_webhook(
            owner=self.request.user,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
        )
        messages.success(self.request, "Webhook added. Its secret is on its page.")
        return redirect(webhook)


class WebhookDetailView(OwnWebhookMixin, FormView):
    template_name = "webhooks/webhook_detail.html"
    form_class = WebhookForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.webhook = self.get_webhook()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owner": self.request.user, "instance": self.webhook}

    def get_context_data(self, **kwargs):
        deliveries = self.webhook.deliveries.order_by("-created_at", "-pk")
        page = ListPage(
            deliveries,
            DELIVERIES_PER_PAGE,
            page_number(self.request.GET.get("page")),
            query=self.request.GET,
        )
        return super().get_context_data(webhook=self.webhook, page=page, **kwargs)

    def form_valid(self, form):
        services.update_webhook(
            self.webhook, url=form.cleaned_data["url"], events=form.cleaned_data["events"]
        )
        messages.success(self.request, "Webhook saved.")
        return redirect(self.webhook)


class WebhookActionView(OwnWebhookMixin, View):
    """A button on the webhook's page: send a test event, rotate the secret, enable it."""

    http_method_names = ["post"]
    action = ""

    def post(self, request, pk):
        webhook = self.get_webhook()
        if self.action == "send_test":
            if webhook.is_active:
                services.send_test(webhook)
                messages.success(request, "Test event queued: it is listed below once sent.")
            else:
                messages.error(request, "Turn the webhook on before sending it a test event.")
        elif self.action == "rotate":
            services.rotate_secret(webhook)
            messages.success(request, "New secret made: the old one no longer signs deliveries.")
        elif self.action == "enable":
            services.enable(webhook)
            messages.success(request, "Webhook turned on: new events will be delivered.")
        elif self.action == "disable":
            services.disable(webhook, reason="You turned it off.")
            messages.success(request, "Webhook turned off.")
        return redirect(webhook)


class WebhookDeleteView(OwnWebhookMixin, DeleteView):
    template_name = "webhooks/webhook_confirm_delete.html"
    success_url = reverse_lazy("webhooks:list")
    context_object_name = "webhook"

    def get_object(self, queryset=None):
        return self.get_webhook()

    def form_valid(self, form):
        messages.success(self.request, f"Webhook to {self.object.url} deleted.")
        return super().form_valid(form)
