"""Who may record what in the commissions' registers. Services enforce these; views use them to
show buttons. Reading is scoped by the querysets' `for_user`."""

from agencies.models import Agency, User

FILERS = (User.Role.OFFICER, User.Role.SECRETARIAT)


def can_record_national(user: User) -> bool:
    """The secretariat of the interdepartmental commission (the role "Секретариат МВК") records
    the commission's meetings and decisions."""
    return user.is_active and user.role == User.Role.SECRETARIAT and user.agency_id is not None


def is_akimat_filer(user: User, agency: Agency | None = None) -> bool:
    """An officer of an akimat (of `agency`, if given): it records its regional commission's
    meetings and its regional plan."""
    return (
        user.is_active
        and user.role in FILERS
        and user.agency is not None
        and user.agency.kind == Agency.Kind.AKIMAT
        and (agency is None or user.agency_id == agency.pk)
    )


def can_edit_meeting(user: User, meeting) -> bool:
    if meeting.is_national:
        return can_record_national(user)
    return is_akimat_filer(user, meeting.agency)


def can_answer(user: User, assignment) -> bool:
    """The agency's own people mark its part of a decision done."""
    return (
        user.is_active
        and user.role in FILERS
        and user.agency_id is not None
        and user.agency_id == assignment.agency_id
    )


def can_reopen(user: User, assignment) -> bool:
    """The agency takes back its mark; the commission's secretariat may send it back too."""
    return can_answer(user, assignment) or can_record_national(user)


def commission_recorded_by(user: User) -> tuple[bool, Agency | None]:
    """(whether `user` records a commission's meetings, whose): the interdepartmental
    commission (None) for its secretariat, the regional commission of an akimat for the akimat's
    people."""
    if can_record_national(user):
        return True, None
    if is_akimat_filer(user):
        return True, user.agency
    return False, None
