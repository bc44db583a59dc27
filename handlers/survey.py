"""The SKM survey in the chat: offered once a ticket is called, nine taps, an optional comment.

Answers are anonymous: the store keeps a salted hash while the survey runs and only the agency
and the scores when it ends. Payloads: `skm:<unsur 1-9>:<score 1-4>`, `skm:skip` (no
comment), `skm:stop`.
"""

from __future__ import annotations

from datetime import datetime

from handlers.types import Choice, Reply, say
from knowledge.normalize import fold
from knowledge.skm import UNSUR
from state.survey import Survey, SurveyStore

TRIGGERS = {"survei", "survey", "skm", "isi survei", "survei kepuasan", "ikut survei"}
OFFER = (
    "Bagaimana pelayanannya? Ketik SURVEI untuk mengisi survei kepuasan (9 pertanyaan, anonim)."
)
ASK_COMMENT = (
    "Terakhir (boleh dilewati): ada saran atau keluhan untuk pelayanan ini? Ketik saja.",
    "Mohon tidak menulis NIK, nomor HP atau data pribadi lain.",
)
THANKS = "Terima kasih! Penilaian Anda membantu MPP memperbaiki pelayanan. 🙏"


class SurveyFlow:
    def __init__(self, store: SurveyStore, agency_of_prefix: dict[str, str]) -> None:
        self.store = store
        self.agency_of_prefix = agency_of_prefix

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
                agency = self.agency_of_prefix.get(prefix, "mpp")
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
        if action == "skip":
            return self.comment(survey, None, now)
        unsur, _, score = action.partition(":")
        if unsur != str(len(survey.answers) + 1) or score not in ("1", "2", "3", "4"):
            return self._next(survey)  # an old button: ask the open question again
        return self._next(self.store.answer(survey, int(score)))

    def waiting_comment(self, chat: str | None, now: datetime) -> Survey | None:
        """The open survey of this chat when all nine are answered: the next text is a comment."""
        if chat is None:
            return None
        survey = self.store.current(self.store.key(now, chat))
        return survey if survey and len(survey.answers) == len(UNSUR) else None

    def comment(self, survey: Survey, text: str | None, now: datetime) -> Reply:
        if len(survey.answers) < len(UNSUR):
            return self._next(survey)
        self.store.finish(survey, text, now)
        return say(THANKS)

    def _next(self, survey: Survey, first: bool = False) -> Reply:
        done = len(survey.answers)
        if done == len(UNSUR):
            return say(*ASK_COMMENT, choices=[Choice("Lewati", "skm:skip")])
        unsur = UNSUR[done]
        lines = [f"{done + 1}/{len(UNSUR)} {unsur.name}: {unsur.question}"]
        if first:
            lines.insert(
                0, "Survei Kepuasan Masyarakat: pilih satu jawaban untuk tiap pertanyaan."
            )
        choices = [Choice(label, f"skm:{done + 1}:{i}") for i, label in enumerate(unsur.labels, 1)]
        return say(*lines, choices=[*choices, Choice("Berhenti", "skm:stop")])
