from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts import tokens


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """Sign a request in with `Authorization: Bearer <personal access token>`."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send one token after “Bearer”."))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("That token is not valid.")) from None
        token = tokens.authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("That token is not valid: it was revoked, has expired, or never existed.")
            )
        return token.owner, token

    def authenticate_header(self, request):
        # Makes an unauthenticated request a 401 that says how to authenticate, not a 403.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token made in Settings → API tokens.",
        }
