from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from api.comments import CommentViewSet, ReminderViewSet
from api.me import MeView
from api.projects import ProjectViewSet
from api.sync import TombstonesView, TrashViewSet
from api.tags import TagViewSet
from api.tasks import TaskViewSet

app_name = "api"


class Router(DefaultRouter):
    # One address per resource: no ".json" twins for the fuzzer and the docs to list.
    include_format_suffixes = False


router = Router()
router.register("projects", ProjectViewSet, basename="project")
router.register("tasks", TaskViewSet, basename="task")
router.register("trash", TrashViewSet, basename="trash")
router.register("tags", TagViewSet, basename="tag")
router.register("comments", CommentViewSet, basename="comment")
router.register("reminders", ReminderViewSet, basename="reminder")

resources = [path("tombstones/", TombstonesView.as_view(), name="tombstones"), *router.urls]
# The API authenticates for itself (tokens or the session), answering 401 rather than
# redirecting to the sign-in page.
for pattern in resources:
    login_not_required(pattern.callback)

urlpatterns = [
    path("v1/me/", login_not_required(MeView.as_view()), name="me"),
    path("v1/", include((resources, "api_v1"))),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "docs/",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
]


class Nothing(APIView):
    """Answer an address under /api/ that names nothing (/api/v1/tasks/abc/) with a problem."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound


# Last: what no pattern above matched is a 404 problem document, not the site's HTML page.
urlpatterns.append(re_path(r"^", login_not_required(Nothing.as_view())))
