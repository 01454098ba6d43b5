import factory

from todos.models import Comment, Invitation, Membership, Project, Role, Tag, Task


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    owner = factory.SubFactory("accounts.tests.factories.UserFactory")
    name = factory.Sequence(lambda n: f"Project {n}")
    position = factory.Sequence(int)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    owner = factory.SubFactory("accounts.tests.factories.UserFactory")
    name = factory.Sequence(lambda n: f"tag{n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    owner = factory.SelfAttribute("project.owner")
    title = factory.Sequence(lambda n: f"Task {n}")
    position = factory.Sequence(int)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


def one_of_each(user) -> dict:
    """Give the user one object of every kind a URL takes an id of, by the name URLs use."""
    from django.utils import timezone

    from reminders import links, schedule
    from reminders.models import Notification
    from todos import services

    project = ProjectFactory(owner=user, name="Home")
    task = TaskFactory(project=project, title="Pay rent")
    reminder = schedule.add(task, at=timezone.now())
    notification = Notification.objects.create(
        user=user, task=task, reminder=reminder, title=task.title, due_at=timezone.now()
    )
    return {
        "project": project,
        "tag": TagFactory(owner=user, name="bills"),
        "task": task,
        "trashed": TaskFactory(project=project, title="Old", deleted_at=timezone.now()),
        "undo": services.trash(TaskFactory(project=project), now=timezone.now()).undo,
        "reminder": reminder,
        "action_token": links.token_for(notification, "10m"),
        **sharing_objects(user),
        "comment": CommentFactory(task=task, author=user),
        **integration_objects(user),
    }


def integration_objects(user) -> dict:
    """A webhook and an API token of the person's own."""
    from accounts import tokens
    from webhooks.models import Webhook

    return {
        "webhook": Webhook.objects.create(
            owner=user, url="https://hooks.example.com/ticklist", events=["task.created"]
        ),
        "access_token": tokens.create(owner=user, name="Phone")[0],
    }


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory("accounts.tests.factories.UserFactory")
    role = Role.EDITOR


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    task = factory.SubFactory(TaskFactory)
    author = factory.SelfAttribute("task.owner")
    body = factory.Sequence(lambda n: f"Comment {n}")


def sharing_objects(user) -> dict:
    """A project the person shares with a member, and invitations to and from them."""
    from datetime import timedelta

    from django.utils import timezone

    shared = ProjectFactory(owner=user, name="Household")
    member = MembershipFactory(project=shared).user
    soon = timezone.now() + timedelta(days=14)
    return {
        "shared": shared,
        "member": member,
        # One to the person, to another's project, and one they sent.
        "invitation": Invitation.objects.create(
            project=ProjectFactory(name="Book club"), user=user, expires_at=soon
        ),
        "sent_invitation": Invitation.objects.create(
            project=shared, invited_by=user, email="friend@example.com", expires_at=soon
        ),
    }


def household(owner, *, editor_name: str = "") -> dict:
    """The owner's project "Household" shared with an editor (sam) and a viewer (vic), one task."""
    from accounts.tests.factories import UserFactory

    project = ProjectFactory(owner=owner, name="Household")
    editor = UserFactory(username="sam", display_name=editor_name)
    viewer = UserFactory(username="vic")
    MembershipFactory(project=project, user=editor, role=Role.EDITOR)
    MembershipFactory(project=project, user=viewer, role=Role.VIEWER)
    task = TaskFactory(project=project, title="Buy milk")
    return {"project": project, "owner": owner, "editor": editor, "viewer": viewer, "task": task}
