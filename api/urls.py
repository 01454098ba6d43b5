from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.me import MeView

app_name = "api"

# The API authenticates for itself (tokens or the session), answering 401 rather than
# redirecting to the sign-in page.
urlpatterns = [
    path("v1/me/", login_not_required(MeView.as_view()), name="me"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
]
