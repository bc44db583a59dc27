"""The conversation core: an incoming message becomes a channel-neutral reply."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import date, datetime

from handlers.announcements import with_notices
from handlers.cards import (
    agency_when,
)
from handlers.context import KEEP, FollowUps, Turn, topic_of
from handlers.english import in_english, written_in_english
from handlers.followup import Reading, pick_of, wants_detail
from handlers.parts import mentions, service_parts
from handlers.queue import QueueFlow, ticket_in
from handlers.replies import Replies
from handlers.smalltalk import (
    SMALLTALK,
    only_acknowledgement,
    only_opening,
    opens_with_salam,
    smalltalk_kind,
)
from handlers.survey import SurveyFlow, agency_finder
from handlers.types import Block, Incoming, Reply, say
from handlers.usage import Recorder, record_question
from handlers.wording import (
    COMMANDS,
    EMPTY,
    EXAMPLES,
    FORM_AGENCY,
    FORM_CODE,
    NIK,
    NIK_NOTE,
    NON_TEXT,
    QUEUE_COMMANDS,
    SLASH_COMMAND,
    TYPED_DETAIL,
    WARM_UP,
    WHICH_ONE,
    has_nik,
    unknown_command,
)
from handlers.words import word_command
from knowledge.catalogue import Catalogue
from knowledge.hours import OpeningHours, holiday_name
from knowledge.live import Knowledge
from knowledge.matcher import Matcher, MatchResult
from knowledge.normalize import fold
from state.announcements import AnnouncementStore
from state.context import Context, ContextStore

# A message this short that finds nothing may still be politeness ("terima kasih ya nak").
SHORT_CHAT = 5


class Assistant(Replies):
    """Holds the long-lived knowledge (catalogue, matcher, hours), built once at start-up.

    `knowledge` is one reference: a live reload swaps it whole, between two messages.
    """

    def __init__(
        self,
        catalogue: Catalogue | Knowledge,
        matcher: Matcher | None = None,
        queue: QueueFlow | None = None,
        context: ContextStore | None = None,
        recorder: Recorder | None = None,
        survey: SurveyFlow | None = None,
        announcements: AnnouncementStore | None = None,
    ) -> None:
        self.queue = queue  # None where no channel can deliver reminders (the console)
        self.context = context  # None: every message stands alone (`mpp-bot ask`)
        self.recorder = recorder  # counts questions (report, /metrics); None: nothing kept
        self.survey = survey  # the SKM survey; needs the queue (it follows a called ticket)
        self.announcements = announcements
        self.swap(
            catalogue if isinstance(catalogue, Knowledge) else Knowledge.build(catalogue, matcher)
        )

    def swap(self, knowledge: Knowledge) -> None:
        """Serve from now on from this catalogue (and all that was built from it).

        Called on the event loop between two messages (no await inside), so no message ever
        sees a mix of the old and the new."""
        cat, matcher = knowledge.catalogue, knowledge.matcher
        followups = FollowUps(cat, matcher)
        survey = self.survey and SurveyFlow(self.survey.store, cat, agency_finder(matcher, cat))
        self.knowledge, self.followups, self.survey = knowledge, followups, survey
        if self.queue is not None:
            self.queue.prefix_agency = knowledge.queue_prefixes

    @property
    def catalogue(self) -> Catalogue:
        return self.knowledge.catalogue

    @property
    def matcher(self) -> Matcher:
        return self.knowledge.matcher

    @property
    def hours(self) -> OpeningHours:
        return self.knowledge.hours

    def warm_up(self, now: datetime) -> None:
        """Build what is built on first use (holiday tables, matcher caches) at start-up, so
        the first citizen does not wait for it. No chat context is read or written."""
        for year in (now.year, now.year + 1):  # next_open may look into January
            holiday_name(date(year, 1, 1))
        recorder, self.recorder = self.recorder, None  # warm-up questions are nobody's
        try:
            for text in WARM_UP:
                self._respond(Incoming("warm-up", now, text=text), Context())
        finally:
            self.recorder = recorder

    def handle(self, msg: Incoming) -> Reply:
        """Answer one message in the light of the chat's context, and remember the new one;
        the announcements in force go on top."""
        started = time.perf_counter()
        before = self._recall(msg)
        english = written_in_english(msg.text, before.english if before else False)
        turn = self._respond(msg, before or Context())
        self._remember(msg, before, turn, english)
        reply = self._announced(turn.reply, msg)
        if self.recorder:
            self.recorder.replied(time.perf_counter() - started)
        if english:
            reply = in_english(reply)
        if msg.text and has_nik(msg.text):
            reply = replace(reply, blocks=[Block([NIK_NOTE]), *reply.blocks])
        return reply

    def command(self, name: str, msg: Incoming, args: str = "") -> Reply:
        """A menu command (/jam, /lokasi, /antrian A030...), the same in every channel."""
        before = self._recall(msg)
        english = bool(before and before.english)
        turn = self._command_turn(name, args, msg)
        self._remember(msg, before, turn, english)
        reply = self._announced(turn.reply, msg)
        return in_english(reply) if english else reply

    def _announced(self, reply: Reply, msg: Incoming) -> Reply:
        if self.announcements is None:
            return reply
        return with_notices(reply, self.announcements.active(self.hours.local(msg.now)))

    def _respond(self, msg: Incoming, context: Context) -> Turn:
        if msg.payload and msg.payload.startswith("skm:") and self.survey:
            return Turn(self.survey.press(msg.chat, msg.payload, msg.now), KEEP)
        if msg.payload or msg.kind == "button":
            return self._open(msg.payload or "", msg)
        if msg.kind != "text" or msg.text is None:
            return Turn(say(NON_TEXT), KEEP)
        text = msg.text.strip()
        survey_reply = self._survey_text(msg, text)
        if survey_reply:
            return Turn(survey_reply, KEEP)
        if not any(c.isalnum() for c in fold(text)):
            return Turn(say(EMPTY, EXAMPLES), KEEP)
        slash = SLASH_COMMAND.match(text)
        if slash:  # typed where a channel has no command menu (console, WhatsApp)
            name, args = slash.group(1).lower(), text[slash.end() :].strip()
            if name not in (*COMMANDS, "menu"):
                return Turn(unknown_command(), KEEP)
            return self._command_turn(name, args, msg)
        command = word_command(text)
        if command:
            return self._command_turn(*command, msg)
        small = SMALLTALK.get(fold(text).strip(" !?.,"))
        if only_acknowledgement(text):
            small = "thanks"
        if small or only_opening(text):
            return Turn(self._smalltalk(small or "greeting", opens_with_salam(text)), KEEP)
        if NIK.fullmatch(re.sub(r"[\s.\-]", "", text)):
            return Turn(say(EMPTY, EXAMPLES), KEEP)  # the NIK note comes first (handle)
        number = pick_of(text)
        if number is not None:
            picked = self.followups.pick(number, context)
            return self._open(picked, msg) if isinstance(picked, str) else Turn(picked, KEEP)
        if context.topic and wants_detail(text):
            # Services have a detail view (procedure, notes); other entries show their card.
            detail = context.topic.startswith("service:")
            return self._open(f"detail:{context.topic}" if detail else context.topic, msg)
        form = FORM_CODE.search(text)
        if form and FORM_AGENCY in self.catalogue.agencies:
            return Turn(self._form_reply(form.group(0)))
        if ticket_in(text):
            return Turn(self._command("antrian", msg, text), KEEP)
        word, _, rest = fold(text).partition(" ")
        if word in TYPED_DETAIL:
            return self._typed_detail(rest, msg)
        return self._question(text, msg, context)

    def _question(self, text: str, msg: Incoming, context: Context) -> Turn:
        result = self.matcher.search(text)
        reading = self.followups.read(text)
        # Something outside the MPP ("harga tiket jatim park berapa", "pinjol lapor kemana")
        # is no question about the last topic, however much it asks a price or a place.
        if (context.topic or context.choices) and not (reading.names_mpp or result.elsewhere):
            turn = self._follow_up(result, reading, msg, context)
            if turn:
                # A follow-up is a question about the topic ("biayanya?"), or gets "which one?".
                ref = turn.topic if turn.topic not in (None, KEEP) else None
                record_question(self.recorder, msg, "answer" if ref else "ambiguous", ref, text)
                return turn
        if not result.results or (result.status == "none" and len(text.split()) <= SHORT_CHAT):
            # "makasih min", "pagi kak", "ok sip": no question in it, only politeness.
            small = smalltalk_kind(text)
            if small:
                return Turn(self._smalltalk(small), KEEP)
        record_question(self.recorder, msg, result.status, result.best, text)
        if result.status == "none":
            # Not understood: the topic stays ("ok" then "biayanya?"), the guesses are the menu.
            return Turn(self.fallback(result), context.topic)
        return self._answered(result, msg)

    def _follow_up(
        self, result: MatchResult, reading: Reading, msg: Incoming, context: Context
    ) -> Turn | None:
        """The message read against the context; None when it is a new question, or when it
        rules out what the context points to ("pinjam di bri" is no Bank Jatim credit)."""
        lead = next(iter(reading.attributes), None)
        if reading.content:
            if result.status == "answer":
                # A clear match is a new topic, unless it is another agency's namesake.
                sibling = self.followups.overrides(context, reading, result)
            else:
                sibling = self.followups.modified(context, reading, result)
            if sibling is None or sibling.best in result.outside:
                return None
            # The topic itself, asked about one part ("dendanya berapa?"): that part, below.
            if sibling.best != context.topic or not (reading.attributes and context.topic):
                said = (
                    self._mentions(sibling.best, reading)
                    if sibling.best == context.topic
                    else None
                )
                return Turn(said, context.topic) if said else self._answered(sibling, msg, lead)
        # "jam buka" after the agency list asks the MPP's hours: info pages have no parts.
        if reading.attributes and context.topic and not context.topic.startswith("info:"):
            return self._parts(context.topic, reading.attributes, msg)
        if reading.attributes and any(c.startswith("service:") for c in context.choices):
            return Turn(self.followups.menu_again(context, WHICH_ONE), KEEP)
        return None

    def _mentions(self, topic: str | None, reading: Reading) -> Reply | None:
        """The topic again with new words ("kalau buat anak?"): what its data says of them."""
        service = self.catalogue.services.get((topic or "").removeprefix("service:"))
        if service is None or reading.attributes:
            return None
        return mentions(service, reading.content, self.matcher.lexicon)

    def _survey_text(self, msg: Incoming, text: str) -> Reply | None:
        """SURVEI starts the survey; what it waits for (service, score, comment) goes to it."""
        if self.survey is None or msg.chat is None:
            return None
        if SurveyFlow.wants_survey(text):  # again during the survey: its open question again
            return self.survey.start(msg.chat, msg.now)
        survey = self.survey.open_survey(msg.chat, msg.now)
        return self.survey.text(survey, text, msg.now) if survey else None

    def _typed_detail(self, question: str, msg: Incoming) -> Turn:
        """'detail perpanjang stnk': that service's Detail, in a chat with no context too."""
        result = self.matcher.search(question) if question.strip() else None
        if result and result.status == "answer" and (result.best or "").startswith("service:"):
            return self._open(f"detail:{result.best}", msg)
        if result and result.results:
            return self._answered(result, msg)  # not one clear service: offer the choices
        hint = say(
            "Tekan tombol Detail di bawah jawaban layanan, atau ketik nama layanannya,",
            "misalnya: detail perpanjang stnk",
        )
        return Turn(hint, KEEP)

    def _answered(self, result: MatchResult, msg: Incoming, lead: str | None = None) -> Turn:
        topic = result.best if result.status == "answer" else None
        return Turn(self.answer(result, msg, lead), topic)

    def _open(self, payload: str, msg: Incoming) -> Turn:
        return Turn(self.open_ref(payload, msg), topic_of(payload, self.catalogue))

    def _parts(self, topic: str, parts: tuple[str, ...], msg: Incoming) -> Turn:
        """'biayanya berapa?': that part of the topic's card; other topics show their card."""
        now = self.hours.local(msg.now)
        agency = self.catalogue.agencies.get(topic.removeprefix("agency:"))
        if topic.startswith("agency:") and agency and set(parts) <= {"hours", "where"}:
            when = agency_when(agency, self.catalogue, self.hours, now)
            return Turn(replace(when, about=agency.id), topic)
        service = self.catalogue.services.get(topic.removeprefix("service:"))
        if service is None or not topic.startswith("service:"):
            return self._open(topic, msg)
        reply = service_parts(service, parts, self.catalogue, self.hours, now)
        return Turn(replace(reply, about=service.agency), topic)

    def _recall(self, msg: Incoming) -> Context | None:
        return self.context.load(_who(msg), msg.now) if self.context else None

    def _remember(
        self, msg: Incoming, before: Context | None, turn: Turn, english: bool = False
    ) -> None:
        """Keep the refs this turn answered or offered (never the text), and whether the
        chat is in English; KEEP refreshes the topic and choices before."""
        if self.context is None:
            return
        if turn.topic == KEEP:
            if before is not None:
                self.context.save(_who(msg), replace(before, english=english), msg.now)
            return
        choices = tuple(c.payload for c in turn.reply.choices)
        self.context.save(_who(msg), Context(turn.topic, choices, english), msg.now)

    def _command_turn(self, name: str, args: str, msg: Incoming) -> Turn:
        """A command's reply; a queue command leaves the chat's topic as it was."""
        return Turn(self._command(name, msg, args), KEEP if name in QUEUE_COMMANDS else None)


def _who(msg: Incoming) -> str:
    """Whose context: the chat, and the user within it (a group has one per member)."""
    return f"{msg.chat or 'console'}\n{msg.user_id}"
