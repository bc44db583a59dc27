"""Example questions: the way citizens ask, as data staff can add to (knowledge/examples.py)."""

from __future__ import annotations

from pathlib import Path

from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.examples import Example, Neighbours, read_examples
from knowledge.matcher import Matcher
from knowledge.normalize import default_lexicon, tokens
from tests.test_cli import mpp_bot

# Krama for "this month the house's water money must be settled": no phrasing has these words.
ODD = "wulan menika kedah ngleresaken arta toya griya"


def test_a_question_staff_add_as_an_example_is_answered_at_the_next_load(
    data_copy: Path, catalogue: Catalogue
) -> None:
    before = Matcher(catalogue).search(ODD)
    assert before.best != "service:pdam-bayar-tagihan" or before.status != "answer"
    (data_copy / "examples" / "loket.tsv").write_text(
        f"# added by the information desk\n{ODD}\tservice:pdam-bayar-tagihan\n", encoding="utf-8"
    )
    after = Matcher(load_catalogue(data_copy)).search(ODD)
    assert (after.status, after.best) == ("answer", "service:pdam-bayar-tagihan")


def test_an_example_speaks_for_questions_worded_like_it(data_copy: Path) -> None:
    (data_copy / "examples" / "loket.tsv").write_text(
        f"{ODD}\tservice:pdam-bayar-tagihan\n", encoding="utf-8"
    )
    matcher = Matcher(load_catalogue(data_copy))
    found = matcher.search("ngleresaken arta toya griya wonten pundi")
    assert found.best == "service:pdam-bayar-tagihan"


def test_an_example_naming_no_entry_is_left_out_and_listed_by_the_check(data_copy: Path) -> None:
    (data_copy / "examples" / "loket.tsv").write_text(
        "syarat ktp ajaib\tservice:ktp-ajaib\n", encoding="utf-8"
    )
    catalogue = load_catalogue(data_copy)
    assert [e.refs for e in catalogue.stray_examples] == [("service:ktp-ajaib",)]
    out = mpp_bot("--data", str(data_copy), "catalogue", "check")
    assert out.returncode == 0, out.stderr
    assert "examples/loket.tsv line 1 names no entry (service:ktp-ajaib)" in out.stdout


def test_a_line_without_refs_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_text("# heading\nsyarat ktp\tservice:ktp-el-baru\nsyarat kk\n", encoding="utf-8")
    examples, bad = read_examples(path)
    assert [e.text for e in examples] == ["syarat ktp"]
    assert [line for line, _ in bad] == [3]


def test_out_of_scope_examples_vote_none() -> None:
    lexicon = default_lexicon()
    found = Neighbours(
        [
            Example("jadwal kereta ke surabaya", (), "a.tsv"),
            Example("jadwal kereta malang jakarta", (), "a.tsv"),
            Example("syarat perpanjang stnk", ("service:stnk-tahunan",), "a.tsv"),
        ],
        lambda text: tokens(text, lexicon),
    )
    votes = found.votes("jadwal kereta besok")
    assert votes.of("none") > votes.of("service:stnk-tahunan")


def test_an_example_asked_again_is_unseen_when_benchmarks_say_so() -> None:
    """Benchmarks and calibration ask the examples' own questions: they must not find
    themselves, or the figures would say nothing about new wording."""
    lexicon = default_lexicon()
    found = Neighbours(
        [
            Example("syarat perpanjang stnk", ("service:stnk-tahunan",), "a.tsv"),
            Example("stnk mati perpanjang", ("service:stnk-tahunan",), "b.tsv"),
            Example("syarat perpanjang sim", ("service:sim-perpanjang",), "c.tsv"),
        ],
        lambda text: tokens(text, lexicon),
    )
    seen = found.votes("syarat perpanjang stnk")
    with found.unseen():
        unseen = found.votes("syarat perpanjang stnk")
    assert seen.of("service:stnk-tahunan") > unseen.of("service:stnk-tahunan") > 0
    assert not found.holdout


def test_a_question_about_one_attribute_votes_for_the_service_it_names() -> None:
    """Many examples ask "bisa diwakilkan?" of other services; half the vote is cast on the
    question without its asking words, so the service named still leads."""
    lexicon = default_lexicon()
    found = Neighbours(
        [
            Example("skck bisa diwakilkan?", ("service:skck-baru",), "a.tsv"),
            Example("stnk bisa diwakilkan ga", ("service:stnk-tahunan",), "a.tsv"),
            Example("paspor bisa diwakilkan", ("service:paspor-baru",), "a.tsv"),
            Example("daftar nib untuk usaha keripik", ("service:nib",), "b.tsv"),
        ],
        lambda text: tokens(text, lexicon),
    )
    alone = found.votes("nib bisa diwakilkan?")
    blended = found.votes("nib bisa diwakilkan?", topic="nib")
    assert alone.of("service:nib") < max(alone.of(r) for r in alone.shares)
    assert blended.of("service:nib") == max(blended.of(r) for r in blended.shares)
