from django.conf import settings
from django.db import models

from transfer.importers import CHOICES


class PendingImport(models.Model):
    """An uploaded file kept between its preview and the person's confirmation."""

    class State(models.TextChoices):
        PREVIEW = "preview", "Waiting for confirmation"
        QUEUED = "queued", "Importing in the background"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    format = models.CharField(max_length=10, choices=CHOICES)
    filename = models.CharField(max_length=255, blank=True)
    text = models.TextField()
    state = models.CharField(max_length=10, choices=State, default=State.PREVIEW)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="transfer_pending_owner_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} import of {self.filename or 'a file'}"
