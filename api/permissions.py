from rest_framework import permissions

from accounts.models import AccessToken, TokenScope


class TokenScopeAllows(permissions.BasePermission):
    """Let a read-only token read, and only a read-and-write token (or a session) write."""

    message = "This token can only read: make a token with read and write access to change data."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or not isinstance(request.auth, AccessToken):
            return True
        return request.auth.scope == TokenScope.WRITE
