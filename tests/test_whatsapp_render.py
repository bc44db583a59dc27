"""Replies as WhatsApp messages: native formatting, within every limit Meta enforces."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.whatsapp.payload import Message, Status, read_events
from bot.whatsapp.render import MAX_TEXT, body_text, messages, shorten
from handlers.conversation import Assistant
from handlers.types import Block, Choice, Incoming, Reply, say
from tests.conftest import FRIDAY_MORNING
from tests.fake_graph import Meta, check_message


def sendable(reply: Reply) -> list[dict]:
    """The messages for a reply, each checked as the fake Graph API (Meta's rules) would."""
    out = [{"messaging_product": "whatsapp", "to": "628123", **m} for m in messages(reply)]
    for message in out:
        check_message(message)
    return out


@pytest.mark.parametrize(
    ("label", "limit", "expected"),
    [
        ("Jam buka", 20, "Jam buka"),
        ("Perpanjangan STNK Tahunan (Pajak Kendaraan)", 24, "Perpanjangan STNK…"),
        ("Kartu Tanda Penduduk (KTP-el) baru", 24, "Kartu Tanda Penduduk…"),
        ("Legalisir dokumen dan surat keterangan", 20, "Legalisir dokumen…"),
        ("Supercalifragilisticexpialidocious", 20, "Supercalifragilisti…"),
    ],
)
def test_titles_are_shortened_at_words(label: str, limit: int, expected: str) -> None:
    assert shorten(label, limit) == expected
    assert len(shorten(label, limit)) <= limit


def test_formatting_marks_in_catalogue_text_do_not_format() -> None:
    reply = Reply(
        [Block(["Biaya *gratis* untuk_anak ~50rb~ `x`", "https://x.id/a_b*c"], title="A*B")]
    )
    text = body_text(reply)
    assert text.startswith("*A∗B*\n")  # the title is bold, its own star is not a mark
    assert "Biaya ∗gratis∗ untukˍanak ∼50rb∼ ˋxˋ" in text
    assert "https://x.id/a_b*c" in text  # links stay usable


def test_a_long_card_is_cut_at_a_line_with_a_pointer() -> None:
    reply = say(*[f"Baris {i}: " + "syarat " * 20 for i in range(100)])
    [message] = sendable(reply)
    body = message["text"]["body"]
    assert len(body) <= MAX_TEXT and "loket informasi" in body.splitlines()[-1]
    assert all(line.startswith(("Baris", "…")) for line in body.splitlines())


@pytest.mark.parametrize(("count", "kind"), [(1, "button"), (3, "button"), (4, "list")])
def test_choices_become_buttons_or_a_list(count: int, kind: str) -> None:
    choices = [Choice(f"Layanan nomor {i}", f"service:s{i}") for i in range(count)]
    [message] = sendable(say("Pilih:", choices=choices))
    assert message["interactive"]["type"] == kind


def test_buttons_whose_short_titles_clash_become_a_list() -> None:
    choices = [
        Choice("Perpanjangan SIM A untuk umum", "a"),
        Choice("Perpanjangan SIM A perorangan", "b"),
    ]
    [message] = sendable(say("Pilih:", choices=choices))
    rows = message["interactive"]["action"]["sections"][0]["rows"]
    assert [r["description"] for r in rows] == [c.label for c in choices]


LABELS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.text(max_size=600), max_size=30),
    labels=st.lists(LABELS, max_size=40),
    title=st.none() | st.text(max_size=100),
)
def test_any_reply_is_sendable(lines: list[str], labels: list[str], title: str | None) -> None:
    choices = [Choice(label, f"service:{i}") for i, label in enumerate(labels)]
    sendable(Reply([Block(lines, title)], choices))


def test_every_reply_to_common_words_is_sendable(assistant: Assistant) -> None:
    for text in ("menu", "halo", "instansi", "fasilitas", "jam", "lokasi", "syarat ktp", "x"):
        sendable(assistant.handle(Incoming("t", FRIDAY_MORNING, text=text)))


def test_webhook_events_are_read_and_oddities_skipped() -> None:
    meta = Meta("http://unused", graph=type("G", (), {"last_inbound": {}})())  # type: ignore[arg-type]
    assert read_events(meta.text("62811", "halo")) == [
        Message("wamid.in1", "62811", "text", text="halo")
    ]
    assert read_events(meta.row("62811", "service:ktp"))[0].payload == "service:ktp"
    assert read_events(meta.photo("62811"))[0].kind == "media"
    assert read_events(meta.message("62811", "reaction", reaction={"emoji": "👍"})) == []
    assert read_events(meta.message("62811", "unsupported"))[0].kind == "media"
    assert read_events(meta.message("62811", "request_welcome"))[0].text == "halo"
    assert read_events(meta.status("62811", "failed", 131047)) == [
        Status("wamid.out1", "62811", "failed", (131047,))
    ]
    for junk in (None, [], {"entry": 5}, {"entry": [{"changes": [{"value": {"messages": [1]}}]}]}):
        assert read_events(junk) == []


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(junk=JSON, message=st.dictionaries(st.sampled_from(["id", "from", "type", "text"]), JSON))
def test_any_webhook_body_is_read_without_error(junk: object, message: dict) -> None:
    read_events(junk)
    body = {"entry": [{"changes": [{"value": {"messages": [message], "statuses": [junk]}}]}]}
    for event in read_events(body):
        assert isinstance(event, Message | Status)


def test_every_card_and_its_detail_is_sendable(assistant: Assistant) -> None:
    cat = assistant.catalogue
    refs = [f"service:{s}" for s in cat.services] + [f"agency:{a}" for a in cat.agencies]
    refs += [f"facility:{f}" for f in cat.facilities] + [f"info:{i}" for i in cat.info]
    refs += [f"detail:service:{s}" for s in cat.services]
    for ref in refs:
        reply = assistant.handle(Incoming("t", FRIDAY_MORNING, payload=ref, kind="button"))
        sendable(reply)
