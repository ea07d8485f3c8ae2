"""Questions about people: what they are working on and when they are free, answered from
the firm's data with citations, and never a proposal."""

from __future__ import annotations

from collections.abc import Callable

from agents.copilot import Copilot
from app.runtime import Runtime
from domain.db import unit_of_work
from tests import factories
from tests.agents.conversation import Conversation
from tests.agents.fakes import RecordingSink
from tests.agents.firm import Firm


def test_a_booked_person_is_said_to_be_booked_with_the_assignment_that_books_them(
    conversation: Conversation, sink: RecordingSink, firm: Firm
) -> None:
    dora = firm.people["Dora Ivanova"]
    result = conversation.say("Is Dora Ivanova free in March?")

    assert result.status == "done" and not sink.submitted  # an answer, not a proposal
    reply = result.reply
    assert f"[co:{dora}]" in reply and f"[av:{dora}]" in reply
    assert "0 of 40 hours a week free" in reply  # booked full-time on Contoso
    assert "Contoso Cloud Data Platform" in reply and "40 hours a week" in reply
    assert "2027-03-01" in reply  # the window asked about, not the next four weeks
    assert "could not verify" not in reply


def test_what_someone_is_working_on_lists_their_assignments_first(
    conversation: Conversation, firm: Firm
) -> None:
    hana = firm.people["Hana Sato"]
    reply = conversation.say("what is Hana working on?").reply

    lines = reply.splitlines()
    assert lines[0].startswith("Hana Sato: Data Engineer") and f"[co:{hana}]" in lines[0]
    assert "Fabrikam Support Retainer (Fabrikam): Data Engineer, 20 hours a week" in lines[1]
    assert "20 of 40 hours a week free" in reply  # the next four weeks
    assert "2026-11-26" in reply and "2026-12-23" in reply


def test_a_free_person_has_no_assignments_in_the_window(
    conversation: Conversation, firm: Firm
) -> None:
    reply = conversation.say("Is Gus Lind available next month?").reply

    assert "No assignments from 2026-12-01 to 2026-12-28" in reply  # four weeks from the start
    assert "40 of 40 hours a week free" in reply
    assert "Java 5/5" in reply  # who he is: his strongest skills


def test_two_people_in_one_question_are_both_answered(
    conversation: Conversation, firm: Firm
) -> None:
    reply = conversation.say("Are Ana Costa and Dora Ivanova free next week?").reply

    assert f"[co:{firm.people['Ana Costa']}]" in reply
    assert f"[co:{firm.people['Dora Ivanova']}]" in reply


def test_a_shared_first_name_is_asked_about_and_the_answer_completes_the_question(
    runtime: Runtime,
    make_copilot: Callable[..., Copilot],
    talk_to: Callable[[Copilot], Conversation],
    firm: Firm,
) -> None:
    with unit_of_work(runtime.sessions) as session:
        other = factories.consultant(session, "Ana Moreau").id
    conversation = talk_to(make_copilot())

    asked = conversation.say("Is Ana free next week?")
    assert asked.reply == "Which one do you mean: Ana Costa, Ana Moreau?"
    answered = conversation.say("Ana Moreau")

    assert f"[co:{other}]" in answered.reply
    assert f"[co:{firm.people['Ana Costa']}]" not in answered.reply
    assert "40 of 40 hours a week free" in answered.reply


def test_a_staffing_request_that_names_a_booked_person_is_still_a_staffing_request(
    conversation: Conversation, sink: RecordingSink
) -> None:
    conversation.say(
        "Dora Ivanova is booked, I need a senior data engineer with Spark for Contoso "
        "from March, 30h a week"
    )

    assert [p.type for p in sink.submitted] == ["assign_staff"]


def test_a_question_about_a_person_does_not_move_the_conversation_off_its_project(
    conversation: Conversation, firm: Firm
) -> None:
    conversation.say("how is the Fabrikam migration doing?")
    conversation.say("is Chen Wei free next week?")
    reply = conversation.say("any change requests?").reply

    assert f"[pj:{firm.fabrikam_migration}]" in reply
