import datetime

import pytest

from agencies.models import Agency
from commissions import services
from measures.models import Plan
from tests.conftest import PLAN_CODE
from tests.reporting.documents import PDF, upload


def national(user, day, number="1", agenda="О ходе исполнения Плана", **extra):
    """A meeting of the interdepartmental commission, recorded by its secretariat `user`."""
    return services.meeting_record(
        user=user, agency=None, held_on=day, protocol_number=number, agenda=agenda, **extra
    )


def regional(user, day, number="1", agenda="О профилактике торговли людьми", **extra):
    """A meeting of the regional commission of `user`'s akimat."""
    return services.meeting_record(
        user=user, agency=user.agency, held_on=day, protocol_number=number, agenda=agenda, **extra
    )


def protocol(name="protocol.pdf"):
    return upload(name, PDF)


D = datetime.date


@pytest.fixture
def the_plan(db):
    return Plan.objects.get(code=PLAN_CODE)


@pytest.fixture
def mon(db):
    return Agency.objects.get(code="mon")


@pytest.fixture
def almaty(db):
    return Agency.objects.get(code="akimat-almaty")
