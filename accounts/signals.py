import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.security import client_ip

logger = logging.getLogger("ticklist.auth")


@receiver(user_logged_in, dispatch_uid="log_sign_in")
def log_sign_in(sender, request, user, **kwargs):
    logger.info("sign-in succeeded", extra={"user_id": user.pk, "ip": client_ip(request)})


@receiver(user_login_failed, dispatch_uid="log_failed_sign_in")
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    # Only the name: Django has already masked the password, and it is not logged at all.
    logger.warning(
        "sign-in failed",
        extra={
            "username": str(credentials.get("username", ""))[:150],
            "ip": client_ip(request) if request is not None else "",
        },
    )


@receiver(user_logged_out, dispatch_uid="log_sign_out")
def log_sign_out(sender, request, user, **kwargs):
    logger.info("signed out", extra={"user_id": getattr(user, "pk", None)})
