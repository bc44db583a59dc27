"""The SKM survey in the chat: offered once a ticket is called, nine taps, an optional comment.

Answers are anonymous: the store keeps a salted hash while the survey runs and only the agency
and the scores when it ends. The agency is the one of the ticket's queue prefix; where the
catalogue does not map that prefix, the survey first asks which service it was (typed, matched,
never kept). Payloads: `skm:<unsur 1-9>:<score 1-4>`, `skm:skip` (no comment or no service),
`skm:stop`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from handlers.types import Choice, Reply, say
from knowledge.catalogue import Catalogue
from knowledge.matcher import Matcher
from knowledge.normalize import fold
from knowledge.skm import UNSUR
from state.survey import Survey, SurveyStore

GENERAL = "mpp"  # results not tied to one agency
PENDING = ""  # the agency is still to be asked

TRIGGERS = {"survei", "survey", "skm", "isi survei", "survei kepuasan", "ikut survei"}
OFFER = (
    "Bagaimana pelayanannya? Ketik SURVEI untuk mengisi survei kepuasan (9 pertanyaan, anonim)."
)
ASK_COMMENT = (
    "Terakhir (boleh dilewati): ada saran atau keluhan untuk pelayanan ini? Ketik saja.",
    "Mohon tidak menulis NIK, nomor HP atau data pribadi lain.",
)
ASK_AGENCY = (
    "Survei Kepuasan Masyarakat. Layanan apa yang Anda urus tadi? Ketik saja, "
    "misalnya: perpanjang STNK."
)
THANKS = "Terima kasih! Penilaian Anda membantu MPP memperbaiki pelayanan. 🙏"
AgencyFinder = Callable[[str], str | None]


def agency_finder(matcher: Matcher, catalogue: Catalogue) -> AgencyFinder:
    """The agency a typed service or agency name points to, when the matcher is sure enough."""

    def find(text: str) -> str | None:
        result = matcher.search(text)
        if result.status == "none" or not result.results:
            return None
        kind, _, ident = result.results[0].ref.partition(":")
        if kind == "agency":
            return ident
        service = catalogue.services.get(ident) if kind == "service" else None
        return service.agency if service else None

    return find


class SurveyFlow:
    def __init__(
        self, store: SurveyStore, catalogue: Catalogue, find_agency: AgencyFinder | None = None
    ) -> None:
        self.store = store
        self.agencies = catalogue.agencies
        self.agency_of_prefix = {
            a.queue_prefix: a.id for a in catalogue.agencies.values() if a.queue_prefix
        }
        self.find_agency = find_agency

    @staticmethod
    def wants_survey(text: str) -> bool:
        return fold(text).strip(" !?.,") in TRIGGERS

    def start(self, chat: str, now: datetime) -> Reply | None:
        """SURVEI typed: go on with a survey already open, or open one for a called ticket.
        None without a called ticket: then "survei" is an ordinary question (research permits)."""
        key = self.store.key(now, chat)
        survey = self.store.current(key)
        if survey:
            return self._next(survey)
        tickets = self.store.called_tickets(chat, now)
        for prefix, number in tickets:
            ticket_key = self.store.key(now, chat, f"{prefix}{number}")
            if not self.store.taken(ticket_key):
                unknown = PENDING if self.find_agency else GENERAL
                agency = self.agency_of_prefix.get(prefix, unknown)
                return self._next(self.store.start(key, ticket_key, agency, now), first=True)
        if tickets:
            return say("Survei untuk tiket Anda hari ini sudah diisi. Terima kasih! 🙏")
        return None

    def press(self, chat: str | None, payload: str, now: datetime) -> Reply:
        """A survey button: record the score and ask the next unsur."""
        survey = self.store.current(self.store.key(now, chat)) if chat else None
        if survey is None:
            return say("Survei ini sudah selesai atau tidak aktif lagi. Terima kasih! 🙏")
        action = payload.removeprefix("skm:")
        if action == "stop":
            self.store.cancel(survey, now)
            return say("Survei dihentikan. Tidak ada jawaban yang disimpan.")
        if action == "skip" and survey.agency == PENDING:
            return self._next(self.store.set_agency(survey, GENERAL), first=True)
        if action == "skip":
            return self.comment(survey, None, now)
        unsur, _, score = action.partition(":")
        if unsur != str(len(survey.answers) + 1) or score not in ("1", "2", "3", "4"):
            return self._next(survey)  # an old button: ask the open question again
        return self._next(self.store.answer(survey, int(score)))

    def open_survey(self, chat: str | None, now: datetime) -> Survey | None:
        return self.store.current(self.store.key(now, chat)) if chat else None

    def text(self, survey: Survey, text: str, now: datetime) -> Reply | None:
        """Typed during the survey: the service, a score 1-4, or the closing comment. None: a
        question meanwhile, answered as usual while the survey waits."""
        if survey.agency == PENDING:
            found = self.find_agency(text) if self.find_agency else None
            return self._next(self.store.set_agency(survey, found or GENERAL), first=True)
        if len(survey.answers) < len(UNSUR):
            score = text.strip(" .")
            if score in ("1", "2", "3", "4"):
                return self._next(self.store.answer(survey, int(score)))
            return None
        return self.comment(survey, text, now)

    def comment(self, survey: Survey, text: str | None, now: datetime) -> Reply:
        if len(survey.answers) < len(UNSUR):
            return self._next(survey)
        self.store.finish(survey, text, now)
        return say(THANKS)

    def _next(self, survey: Survey, first: bool = False) -> Reply:
        if survey.agency == PENDING:
            return say(ASK_AGENCY, choices=[Choice("Lewati", "skm:skip")])
        done = len(survey.answers)
        if done == len(UNSUR):
            return say(*ASK_COMMENT, choices=[Choice("Lewati", "skm:skip")])
        unsur = UNSUR[done]
        lines = [f"{done + 1}/{len(UNSUR)} {unsur.name}: {unsur.question}"]
        if first:
            agency = self.agencies.get(survey.agency)
            about = f" untuk {agency.name}" if agency else ""
            lines.insert(
                0, f"Survei Kepuasan Masyarakat{about}. Pilih satu jawaban tiap pertanyaan."
            )
        choices = [Choice(label, f"skm:{done + 1}:{i}") for i, label in enumerate(unsur.labels, 1)]
        return say(*lines, choices=[*choices, Choice("Berhenti", "skm:stop")])
