"""Digest email, sent in the background by the task worker (``manage.py db_worker``)."""

from django_tasks import task

from confessions.digests import services
from confessions.digests.models import Subscription


@task()
def send_digest(subscription_id: int, period: str) -> str:
    return services.digest_send(subscription_id=subscription_id, period=period)


@task()
def send_confirmation(subscription_id: int) -> str:
    subscription = Subscription.objects.filter(pk=subscription_id, confirmed_on=None).first()
    if subscription is None:
        return "no longer needed"
    services.confirmation_email(subscription).send()
    return "sent"
