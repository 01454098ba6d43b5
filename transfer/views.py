from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from transfer import export, services
from transfer.forms import ImportForm
from transfer.models import PendingImport
from transfer.plan import Unreadable

# How many of a file's tasks and problems the preview lists.
PREVIEW_ROWS = 20


class ExportView(TemplateView):
    template_name = "transfer/export.html"
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("format")
        if kind not in ("json", "csv"):
            return super().get(request, *args, **kwargs)
        day = timezone.localdate().isoformat()
        name = f"ticklist-{request.user.get_username()}-{day}.{kind}"
        if kind == "json":
            response = HttpResponse(
                export.as_json(request.user), content_type="application/json; charset=utf-8"
            )
        else:
            response = HttpResponse(
                export.as_csv(request.user), content_type="text/csv; charset=utf-8"
            )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ImportView(FormView):
    form_class = ImportForm
    template_name = "transfer/import.html"

    def pending(self) -> PendingImport | None:
        return services.pending_of(self.request.user).first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pending = self.pending()
        context["pending"] = pending
        if pending is not None and pending.state == PendingImport.State.PREVIEW:
            try:
                plan = services.read(
                    pending.format,
                    pending.text,
                    user=self.request.user,
                    filename=pending.filename,
                    now=timezone.now(),
                )
            except Unreadable as error:
                context["unreadable"] = str(error)
            else:
                context.update(
                    plan=plan,
                    rows=plan.tasks[:PREVIEW_ROWS],
                    problems=plan.problems[:PREVIEW_ROWS],
                    more_problems=max(len(plan.problems) - PREVIEW_ROWS, 0),
                )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action in ("confirm", "cancel", "dismiss"):
            return self.decide(action)
        return super().post(request, *args, **kwargs)

    def decide(self, action: str):
        pending = self.pending()
        if pending is None:
            messages.info(self.request, "There is no import waiting.")
        elif action == "confirm" and pending.state == PendingImport.State.PREVIEW:
            try:
                counts = services.confirm(pending, now=timezone.now())
            except Unreadable as error:
                messages.error(self.request, str(error))
            else:
                if counts is None:
                    messages.info(
                        self.request,
                        "Importing in the background: this page shows when it is done.",
                    )
                else:
                    messages.success(self.request, services.summary(counts))
        elif action in ("cancel", "dismiss") and pending.state != PendingImport.State.QUEUED:
            pending.delete()
            if action == "cancel":
                messages.info(self.request, "Nothing was imported.")
        return redirect("accounts:import")

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            services.upload(
                user=self.request.user,
                format=form.cleaned_data["format"],
                data=upload.read(),
                filename=upload.name or "",
                now=timezone.now(),
            )
        except Unreadable as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        return redirect("accounts:import")
