"""Web Push (interim: the channel stays off until the push module lands on this branch)."""


class SubscriptionGone(Exception):
    pass


class PushFailed(Exception):
    pass


def is_configured() -> bool:
    return False


def payload_for(notification, actions):
    return {"title": notification.title, "body": notification.body, "actions": actions}


def send(subscription, payload, *, ttl=3600):
    raise PushFailed("not configured")
