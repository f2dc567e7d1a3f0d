"""Factories for variation; reference data comes from the plan fixture (see conftest)."""

import datetime

import factory

from agencies.models import Agency, User
from measures.models import Measure, Plan, Responsibility, Section
from reporting.models import ReportingCycle


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    abbreviation = factory.Sequence(lambda n: f"В{n}")
    name = factory.Sequence(lambda n: f"Ведомство № {n}")
    kind = Agency.Kind.MINISTRY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    agency = factory.SubFactory(AgencyFactory)
    role = User.Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    code = factory.Sequence(lambda n: f"plan-{n}")
    title = factory.Sequence(lambda n: f"План № {n}")
    resolution_number = factory.Sequence(str)
    resolution_date = datetime.date(2018, 10, 1)
    start_year = 2018
    end_year = 2020


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Раздел {n + 1}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    section = factory.SubFactory(SectionFactory)
    plan = factory.SelfAttribute("section.plan")
    number = factory.Sequence(lambda n: str(n + 1))
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Мероприятие {n + 1}")
    completion_form = "информация в рабочий орган МВК"
    responsible_text = ""
    deadline_text = "ежегодно"
    first_year = 2018
    last_year = 2020


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    measure = factory.SubFactory(MeasureFactory)
    agency = factory.SubFactory(AgencyFactory)
    position = factory.Sequence(lambda n: n + 1)


class ReportingCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingCycle

    plan = factory.SubFactory(PlanFactory)
    year = 2019
    submission_deadline = factory.LazyAttribute(lambda o: datetime.date(o.year + 1, 1, 20))
    summary_deadline = factory.LazyAttribute(lambda o: datetime.date(o.year + 1, 2, 10))
    coordinator = factory.SubFactory(AgencyFactory)
