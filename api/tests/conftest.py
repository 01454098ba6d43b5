from itertools import count

import pytest
from rest_framework.test import APIClient

from accounts import tokens

_names = count(1)


def client_for(user, scope: str = "write") -> APIClient:
    """An API client signed in with a new personal access token of the person's."""
    _, secret = tokens.create(owner=user, name=f"test {scope} {next(_names)}", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def api(user):
    return client_for(user)
