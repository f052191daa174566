"""Signing the plan off (k on the plan): the five NHS England criteria of a personalised care
and support plan as tick boxes, the review agreed and a note; and writing the person's own
copy of the plan (h), in large print or easy read when their needs say so."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import TextArea

from linkworker import information_needs, people, plans
from linkworker.formats import writer
from linkworker.formats.handout import HandoutStyle, style_of
from linkworker.models import PcspCriterion, SignOffDetails
from linkworker.tui.dialogs import FormDialog, field_row, text_row, typed_date
from linkworker.tui.screens.base import LinkWorkerScreen
from linkworker.tui.widgets.choices import TickBox
from linkworker.tui.widgets.text import plain


def criterion_id(criterion: PcspCriterion) -> str:
    """The tick box of one criterion."""
    return f"pcsp-{criterion.value}"


class SignOffDialog(FormDialog[int], guide="plan_signoff"):
    """Tick the criteria the plan meets and sign it off (audited); returns the sign-off's id."""

    SAVE_LABEL = "Sign off"
    FIELDS = ("review_on", "note")

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person_id = person_id

    def heading(self) -> Text:
        p = people.get_person(self.db, self.person_id)
        return Text("Sign off the plan: ") + plain(f"{p['given_name']} {p['family_name']}")

    def subtitle(self) -> str:
        return "Tick each that is true (NHS England's five PCSP criteria)."

    def _review_on(self) -> str:
        latest = plans.latest_signoff(self.db, self.person_id)
        if latest is not None and latest.review_on and latest.review_on >= self.clock.today():
            return typed_date(latest.review_on)
        reviews = sorted(
            g.review_on for g in plans.goals(self.db, self.person_id, open_only=True) if g.review_on
        )
        return typed_date(reviews[0]) if reviews else ""

    def compose_fields(self) -> ComposeResult:
        for n, criterion in enumerate(PcspCriterion, start=1):
            box = TickBox(criterion.label, False, id=criterion_id(criterion), compact=True)
            yield field_row(criterion_id(criterion), f"{n}.", box)
        yield text_row("review_on", "Review on", self._review_on(), "dd/mm/yyyy")
        yield field_row("note", "Note", TextArea(id="note", classes="short"))

    def save(self) -> None:
        ticked = [c for c in PcspCriterion if self.value(criterion_id(c))]
        try:
            details = SignOffDetails.model_validate(
                {"criteria": ticked, **self.values()}, context={"today": self.clock.today()}
            )
        except ValidationError as exc:
            self.show_exception(exc)
            return
        missing = len(PcspCriterion) - len(ticked)
        if missing and not self.warn_once(
            tuple(ticked),
            [f"{missing} of the five criteria not ticked: sign off as it stands?"],
            "Sign off anyway",
        ):
            return
        self.save_with(
            lambda: plans.sign_off(self.db, self.person_id, details, self.clock),
            refused=(plans.PlanError, LookupError),
        )


def write_person_copy(screen: LinkWorkerScreen, person_id: int, slug: str) -> None:
    """Ask where to write the person's copy of the plan, and write it as their needs say."""
    from linkworker.tui.screens.plan import WriteFileModal

    reading = information_needs.recorded_needs(screen.db, person_id).reading
    today = screen.clock.today()
    signed = screen.lw.settings.sign_off()

    def render(style: str) -> str:
        chosen: HandoutStyle = "markdown" if style == "markdown" else "text"
        return plans.person_copy(screen.db, person_id, today, chosen, reading, signed)

    def writes(path: Path, force: bool) -> list[Path]:
        text = plans.person_copy(screen.db, person_id, today, style_of(path), reading, signed)
        return [writer.write_text(path, text, force=force)]

    ending = "txt" if reading.standard else "html"
    screen.app.push_screen(
        WriteFileModal(
            f"person's copy of the plan, in {reading.words()},",
            f"my-plan-{slug}-{today.isoformat()}.{ending}",
            render,
            writes=writes,
            hint=".html: a printable page; .md: Markdown; any other ending: plain text.",
        )
    )
