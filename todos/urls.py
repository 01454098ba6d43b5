from django.urls import path

from todos import views

app_name = "todos"

urlpatterns = [
    path("today/", views.TodayView.as_view(), name="today"),
    path("upcoming/", views.UpcomingView.as_view(), name="upcoming"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("completed/", views.CompletedView.as_view(), name="completed"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("trash/", views.TrashView.as_view(), name="trash"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectFormView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectFormView.as_view(), name="project_update"),
    path("projects/<int:pk>/archive/", views.project_archive, name="project_archive"),
    path("projects/<int:pk>/delete/", views.ProjectDeleteView.as_view(), name="project_delete"),
    path("projects/<int:pk>/reorder/", views.project_reorder, name="project_reorder"),
    path("tags/<int:pk>/", views.TagDetailView.as_view(), name="tag_detail"),
    path("tasks/new/", views.TaskFormView.as_view(), name="task_create"),
    path("tasks/quick-add/", views.quick_add, name="quick_add"),
    path("tasks/bulk/", views.task_bulk, name="task_bulk"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskFormView.as_view(), name="task_update"),
    path("tasks/<int:pk>/toggle/", views.task_toggle, name="task_toggle"),
    path("tasks/<int:pk>/delete/", views.task_delete, name="task_delete"),
    path("tasks/<int:pk>/restore/", views.task_restore, name="task_restore"),
    path("tasks/<int:pk>/purge/", views.TaskPurgeView.as_view(), name="task_purge"),
    path("tasks/<int:pk>/move/", views.task_move, name="task_move"),
    path("tasks/<int:pk>/up/", views.task_move_step, {"step": -1}, name="task_move_up"),
    path("tasks/<int:pk>/down/", views.task_move_step, {"step": 1}, name="task_move_down"),
]
