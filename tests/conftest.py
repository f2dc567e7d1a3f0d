from unittest import mock

import pytest
from django.core.management import call_command

from agencies.models import Agency, User
from measures.models import Plan

PLAN_CODE = "trafficking-2018-2020"
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the plan fixture once per test database; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("loaddata", "plan_2018_2020", verbosity=0)


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Tests serve static files from the finders; the hashed manifest is built at deployment."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Documents uploaded by a test go to a folder of its own; passwords hash fast."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The lockout is tested on its own (tests/agencies/test_sign_in.py); elsewhere the test
    # client's login() has no request for django-axes to inspect.
    settings.AXES_ENABLED = False
    # Tests sign the secretariat and admins in with force_login; the second factor is tested on
    # its own (tests/agencies/test_two_factor.py, tests/browser/test_two_factor.py).
    settings.OTP_REQUIRED_FOR_PRIVILEGED = False


@pytest.fixture
def plan(db):
    return Plan.objects.get(code=PLAN_CODE)


def _user(username, agency_code, role, **extra):
    agency = Agency.objects.get(code=agency_code) if agency_code else None
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.kz",
        agency=agency,
        role=role,
        **extra,
    )
    return user


# The cast of test users (STYLE.md): officers of МОН and of an akimat, the secretariats of
# МВД and МТСЗН, an observer and an admin.
@pytest.fixture
def mon_officer(db):
    return _user("mon_officer", "mon", User.Role.OFFICER)


@pytest.fixture
def akimat_officer(db):
    return _user("almaty_officer", "akimat-almaty", User.Role.OFFICER)


@pytest.fixture
def mvd_secretariat(db):
    return _user("mvd_secretariat", "mvd", User.Role.SECRETARIAT)


@pytest.fixture
def mtszn_secretariat(db):
    return _user("mtszn_secretariat", "mtszn", User.Role.SECRETARIAT)


@pytest.fixture
def observer(db):
    return _user("observer", None, User.Role.OBSERVER)


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser(username="admin", password=PASSWORD, email="")


def run_tasks():
    """The task worker, until nothing is due (`db_worker --batch`): queued mail goes out (into
    mail.outbox in the tests), as it does when the worker runs beside the portal. The worker
    drops the database connection between tasks, as a request does; inside a test's
    transaction it must not (Django's test client keeps it for requests likewise)."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command(
            "db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0
        )


@pytest.fixture
def run_worker(db):
    return run_tasks
