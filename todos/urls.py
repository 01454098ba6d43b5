from django.urls import path

from reminders import views as reminders
from todos.views import activity, comments, feed, lists, projects, sharing, tags, tasks

app_name = "todos"

urlpatterns = [
    path("my-day/", lists.MyDayView.as_view(), name="my_day"),
    path("today/", lists.TodayView.as_view(), name="today"),
    path("upcoming/", lists.UpcomingView.as_view(), name="upcoming"),
    path("assigned/", lists.AssignedView.as_view(), name="assigned"),
    path("inbox/", lists.InboxView.as_view(), name="inbox"),
    path("completed/", lists.CompletedView.as_view(), name="completed"),
    path("search/", lists.SearchView.as_view(), name="search"),
    path("trash/", lists.TrashView.as_view(), name="trash"),
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", projects.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", lists.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", projects.ProjectUpdateView.as_view(), name="project_update"),
    path("projects/<int:pk>/archive/", projects.project_archive, name="project_archive"),
    path("projects/<int:pk>/favourite/", projects.project_favourite, name="project_favourite"),
    path("projects/<int:pk>/delete/", projects.ProjectDeleteView.as_view(), name="project_delete"),
    path("projects/<int:pk>/reorder/", tasks.project_reorder, name="project_reorder"),
    path(
        "projects/<int:pk>/members/", sharing.ProjectMembersView.as_view(), name="project_members"
    ),
    path("projects/<int:pk>/members/<int:user_pk>/role/", sharing.member_role, name="member_role"),
    path(
        "projects/<int:pk>/members/<int:user_pk>/remove/",
        sharing.member_remove,
        name="member_remove",
    ),
    path("projects/<int:pk>/leave/", sharing.project_leave, name="project_leave"),
    path(
        "projects/<int:pk>/hand-over/",
        sharing.ProjectHandOverView.as_view(),
        name="project_hand_over",
    ),
    path("invitations/", sharing.InvitationListView.as_view(), name="invitations"),
    path("invitations/<int:pk>/accept/", sharing.invitation_accept, name="invitation_accept"),
    path("invitations/<int:pk>/decline/", sharing.invitation_decline, name="invitation_decline"),
    path(
        "invitations/<int:pk>/withdraw/", sharing.invitation_withdraw, name="invitation_withdraw"
    ),
    path(
        "projects/<int:pk>/activity/",
        activity.ProjectActivityView.as_view(),
        name="project_activity",
    ),
    path("tags/", tags.TagListView.as_view(), name="tag_list"),
    path("tags/<int:pk>/", lists.TagDetailView.as_view(), name="tag_detail"),
    path("tags/<int:pk>/edit/", tags.TagUpdateView.as_view(), name="tag_update"),
    path("tags/<int:pk>/delete/", tags.TagDeleteView.as_view(), name="tag_delete"),
    path("tasks/new/", tasks.TaskCreateView.as_view(), name="task_create"),
    path("tasks/quick-add/", tasks.quick_add, name="quick_add"),
    path("tasks/quick-add/preview/", tasks.quick_add_preview, name="quick_add_preview"),
    path("tasks/bulk/", tasks.task_bulk, name="task_bulk"),
    path("tasks/<int:pk>/", lists.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.TaskUpdateView.as_view(), name="task_update"),
    path("tasks/<int:pk>/toggle/", tasks.task_toggle, name="task_toggle"),
    path("tasks/<int:pk>/delete/", tasks.task_delete, name="task_delete"),
    path("tasks/<int:pk>/restore/", tasks.task_restore, name="task_restore"),
    path("tasks/<int:pk>/purge/", tasks.TaskPurgeView.as_view(), name="task_purge"),
    path("tasks/<int:pk>/my-day/", tasks.task_my_day, name="task_my_day"),
    path("tasks/<int:pk>/move/", tasks.task_move, name="task_move"),
    path("tasks/<int:pk>/assign/", tasks.TaskAssignView.as_view(), name="task_assign"),
    path("tasks/<int:pk>/new-project/", tasks.task_new_project, name="task_new_project"),
    path("tasks/<int:pk>/up/", tasks.task_move_step, {"step": -1}, name="task_move_up"),
    path("tasks/<int:pk>/down/", tasks.task_move_step, {"step": 1}, name="task_move_down"),
    path("tasks/<int:pk>/skip/", reminders.task_skip, name="task_skip"),
    path("tasks/<int:pk>/reminders/", reminders.reminder_add, name="task_reminder_add"),
    path("tasks/<int:pk>/comments/", comments.comment_add, name="comment_add"),
    path("comments/<int:pk>/edit/", comments.CommentEditView.as_view(), name="comment_edit"),
    path("comments/<int:pk>/delete/", comments.CommentDeleteView.as_view(), name="comment_delete"),
    path("reminders/<int:pk>/delete/", reminders.reminder_delete, name="reminder_delete"),
    path("notifications/", reminders.NotificationListView.as_view(), name="notifications"),
    path("undo/<int:pk>/", tasks.undo_change, name="undo"),
    path("calendar/<slug:token>.ics", feed.calendar_feed, name="calendar_feed"),
    path(
        "calendar/<slug:token>/projects/<int:pk>.ics",
        feed.calendar_feed,
        name="project_calendar_feed",
    ),
]
