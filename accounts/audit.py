"""Record sign-ins, sign-outs, lockouts, password and permission changes as AuthEvents.

Receivers only: nothing else writes the audit log, so every path that changes who may
do what (the admin, the shell, a data migration) is recorded the same way.
"""

from contextvars import ContextVar

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.client import client_ip
from accounts.models import AuthEvent, AuthEventKind
from reports.models import Organization

User = get_user_model()

# The request being served, so receivers of model signals know who made the change.
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)

# User fields whose change alters what an account may do.
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")


def record(kind: str, *, user=None, username: str = "", request: HttpRequest | None = None, detail: str = ""):
    """Append one event, taking the address, browser and actor from the request."""
    request = request or current_request.get()
    actor = getattr(request, "user", None) if request is not None else None
    if user is not None:
        username = user.get_username()
    return AuthEvent.objects.create(
        kind=kind,
        username=(username or "")[:150],
        user=user if user is not None and user.pk else None,
        actor=actor if actor is not None and actor.is_authenticated else None,
        ip_address=client_ip(request) if request is not None else None,
        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", "")[:255] if request is not None else "",
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255] if request is not None else "",
        detail=detail,
    )


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(AuthEventKind.LOGIN, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record(AuthEventKind.LOGIN_FAILED, username=str(credentials.get("username", "")), request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuthEventKind.LOGOUT, user=user, request=request)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    record(
        AuthEventKind.LOCKOUT,
        username=username or "",
        request=request,
        detail=f"username={username or ''} ip={ip_address or ''}",
    )


@receiver(pre_save, sender=User)
def _remember_access_fields(sender, instance, update_fields=None, **kwargs):
    watched = {"password", *ACCESS_FIELDS}
    if instance.pk is None or (update_fields is not None and not watched & set(update_fields)):
        instance._audit_before = None
        return
    instance._audit_before = sender.objects.filter(pk=instance.pk).values("password", *ACCESS_FIELDS).first()


@receiver(post_save, sender=User)
def _record_access_changes(sender, instance, created, **kwargs):
    if created:
        flags = [name for name in ACCESS_FIELDS if getattr(instance, name)]
        record(AuthEventKind.PERMISSION_CHANGE, user=instance, detail="account created: " + ", ".join(flags))
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if not before:
        return
    if before["password"] != instance.password:
        record(AuthEventKind.PASSWORD_CHANGE, user=instance)
    changes = [
        f"{name}: {before[name]} -> {getattr(instance, name)}"
        for name in ACCESS_FIELDS
        if before[name] != getattr(instance, name)
    ]
    if changes:
        record(AuthEventKind.PERMISSION_CHANGE, user=instance, detail="; ".join(changes))


# Many-to-many relations that decide what an account may do: groups and permissions,
# and which organisations' reports a clerk or an editor works on.
ACCESS_RELATIONS = [
    User._meta.get_field("groups"),
    User._meta.get_field("user_permissions"),
    Group._meta.get_field("permissions"),
    Organization._meta.get_field("clerks"),
    Organization._meta.get_field("editors"),
]


def _access_relation_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    field = next(field for field in ACCESS_RELATIONS if field.remote_field.through is sender)
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    if action == "pre_clear":
        # By post_clear the rows are gone; read what is about to be removed.
        own, other = (target, source) if reverse else (source, target)
        pk_set = set(sender.objects.filter(**{own: instance}).values_list(f"{other}_id", flat=True))
    elif action not in ("post_add", "post_remove"):
        return
    sign = "+" if action == "post_add" else "-"
    for related in model.objects.filter(pk__in=pk_set or ()):
        owner, member = (related, instance) if reverse else (instance, related)
        user = next((obj for obj in (owner, member) if isinstance(obj, User)), None)
        detail = f"{owner._meta.model_name} “{owner}” {field.name} {sign} “{member}”"
        record(AuthEventKind.PERMISSION_CHANGE, user=user, detail=detail)


for _field in ACCESS_RELATIONS:
    m2m_changed.connect(
        _access_relation_changed,
        sender=_field.remote_field.through,
        dispatch_uid=f"audit-{_field.model._meta.label}.{_field.name}",
    )
