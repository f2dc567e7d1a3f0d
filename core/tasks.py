"""Tasks of the worker (django-tasks with its database backend; README, "Background work")."""

from django_tasks import task


@task(queue_name="mail")
def deliver_mail(mail_id: int) -> str:
    from core.mail import deliver

    return deliver(mail_id)
