"""Return and resubmit: remarks on single entries, shown where the officer edits them; what
changed since the return, for the secretariat; documents in the journal; the header's review."""

import pytest
from django.urls import reverse

from core.models import OutgoingMail
from reporting import selectors, services
from reporting.exceptions import CommentRequired
from reporting.models import AnnualReport, ReviewComment
from tests.reporting.documents import PDF, upload

pytestmark = pytest.mark.django_db
State = AnnualReport.State


def entry(report, number):
    return report.entries.select_related("measure").get(measure__number=number)


def test_a_return_with_remarks_on_entries_only(mon_submitted, mvd_secretariat, mon_officer):
    four = entry(mon_submitted, "4")
    services.report_return(
        report=mon_submitted,
        user=mvd_secretariat,
        comment="",
        entry_comments={four.pk: "  Назовите число проверок. ", entry(mon_submitted, "12").pk: " "},
    )
    assert mon_submitted.state == State.RETURNED
    remark = ReviewComment.objects.get()
    assert (remark.entry, remark.text, remark.kind) == (four, "Назовите число проверок.", "return")
    mail = OutgoingMail.objects.get(to__icontains=mon_officer.email)
    assert "№ 4: Назовите число проверок." in mail.body


def test_a_return_needs_a_comment_or_a_remark(mon_submitted, mvd_secretariat):
    with pytest.raises(CommentRequired):
        services.report_return(
            report=mon_submitted,
            user=mvd_secretariat,
            comment=" ",
            entry_comments={entry(mon_submitted, "4").pk: "   "},
        )
    mon_submitted.refresh_from_db()
    assert mon_submitted.state == State.SUBMITTED and not ReviewComment.objects.exists()


def test_a_remark_on_another_reports_entry_is_refused(
    mon_submitted, mvd_secretariat, cycle_2019, akimat_officer
):
    other = services.report_open(cycle=cycle_2019, agency=akimat_officer.agency)
    with pytest.raises(services.ActionRefused, match="не из этого отчёта"):
        services.report_return(
            report=mon_submitted,
            user=mvd_secretariat,
            comment="Доработайте.",
            entry_comments={other.entries.first().pk: "Чужое."},
        )
    mon_submitted.refresh_from_db()
    assert mon_submitted.state == State.SUBMITTED and not ReviewComment.objects.exists()


def returned_with_a_remark(client, report, secretariat):
    four = entry(report, "4")
    client.force_login(secretariat)
    response = client.post(
        reverse("report_return", args=[report.pk]),
        {"comment": "Доработайте отчёт.", f"entry_{four.pk}": "Назовите число проверок."},
    )
    assert response.status_code == 302
    return four


def test_the_officer_sees_the_remark_on_the_entry_and_in_the_report(
    client, mon_submitted, mvd_secretariat, mon_officer
):
    four = returned_with_a_remark(client, mon_submitted, mvd_secretariat)
    client.force_login(mon_officer)
    page = client.get(four.get_absolute_url()).content.decode()
    assert "Замечание секретариата к этому мероприятию" in page
    assert "Назовите число проверок." in page
    other = client.get(entry(mon_submitted, "12").get_absolute_url()).content.decode()
    assert "Назовите число проверок." not in other
    report_page = client.get(mon_submitted.get_absolute_url()).content.decode()
    row = report_page.split(f'id="entry-{four.pk}"')[1].split("</tr>")[0]
    assert "Назовите число проверок." in row
    assert "возвращён на доработку" in report_page


def test_the_secretariat_sees_what_changed_since_the_return(
    client, mon_submitted, mvd_secretariat, mon_officer
):
    four = returned_with_a_remark(client, mon_submitted, mvd_secretariat)
    services.entry_update(
        entry=four,
        user=mon_officer,
        status="in_progress",
        narrative="Проведено 40 проверок.",
        version=four.version,
    )
    nine = entry(mon_submitted, "12")
    document = services.attachment_add(entry=nine, user=mon_officer, file=upload("акт.pdf", PDF))
    services.report_submit(report=mon_submitted, user=mon_officer)

    journal = selectors.report_journal(report=mon_submitted)
    assert journal.since_review == {
        four.pk: ["Исполнено → Исполняется", "текст изменён"],
        nine.pk: ["добавлен документ акт.pdf"],
    }
    client.force_login(mvd_secretariat)
    page = client.get(mon_submitted.get_absolute_url()).content.decode()
    assert "После возврата на доработку изменено мероприятий: 2." in page
    assert page.count("изменено после возврата</span>") == 2
    assert "до этого возвращался на доработку" in page and "рассмотрен" not in page
    # The journal has the document; removing it is there too.
    services.report_return(report=mon_submitted, user=mvd_secretariat, comment="Ещё раз.")
    services.attachment_delete(attachment=document, user=mon_officer)
    changes = selectors.report_journal(report=mon_submitted).changes
    kinds = [(c.kind, c.subject, c.details) for c in changes if c.kind.startswith("document")]
    assert kinds == [
        ("document_removed", "12", ["акт.pdf"]),
        ("document_added", "12", ["акт.pdf"]),
    ]
    assert changes[0].user == mon_officer
    # Since the second return: only the removal.
    assert selectors.report_journal(report=mon_submitted).since_review == {
        nine.pk: ["удалён документ акт.pdf"]
    }


def test_after_acceptance_no_remarks_or_changes_are_current(
    client, mon_submitted, mvd_secretariat, mon_officer
):
    four = returned_with_a_remark(client, mon_submitted, mvd_secretariat)
    services.report_submit(report=mon_submitted, user=mon_officer)
    services.report_accept(report=mon_submitted, user=mvd_secretariat)
    comments = selectors.report_comments(report=mon_submitted)
    assert selectors.entry_remarks(report=mon_submitted, comments=comments) == {}
    assert selectors.report_journal(report=mon_submitted).since_review == {}
    page = client.get(mon_submitted.get_absolute_url()).content.decode()
    assert "принят" in page and "Назовите число проверок." in page  # kept among the comments
    assert f'href="#entry-{four.pk}"' in page


def test_the_progress_of_a_report(client, mon_report, mon_officer):
    entries = list(mon_report.entries.order_by("measure__position"))
    first = entries[0]
    services.entry_update(
        entry=first, user=mon_officer, status="done", narrative="Сделано.", version=first.version
    )
    client.force_login(mon_officer)
    page = client.get(mon_report.get_absolute_url()).content.decode()
    assert f"Заполнено: 1 из {len(entries)}" in page
    assert (
        f'<progress id="progress-bar" class="report-progress" max="{len(entries)}" value="1">'
        in page
    )
    assert page.count('class="entry-filled') == 1
    assert page.count('class="entry-empty') == len(entries) - 1
