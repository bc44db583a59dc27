"""Normalising how citizens write: the words the matcher ends up comparing."""

from __future__ import annotations

import pytest

from knowledge.normalize import affix_variants, default_lexicon, fold, tokens


def words(text: str) -> list[str]:
    return tokens(text, default_lexicon())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Syarat Perpanjang STNK!!!", ["syarat", "perpanjang", "stnk"]),
        ("min ktp sy ilang gmn", ["ktp", "hilang"]),
        ("syarate ngurus akte lahir opo ae", ["syarat", "akta", "lahir"]),  # ngurus: filler
        ("tolonggg kak pajek motorrr", ["pajak", "motor"]),
        ("Assalamualaikum min, mau tanya e-KTP", ["ktp"]),
        ("bikin kartu keluarga", ["buat", "kk"]),
        ("ｅ－ＫＴＰ hilang 😭🙏", ["ktp", "hilang"]),
        ("terima kasih ya kak", []),
        ("bayar pbb2 tahun ini", ["bayar", "pbb", "tahun"]),
        ("ak1", ["kartu", "kuning"]),
    ],
)
def test_chat_text_becomes_catalogue_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_fold_drops_accents_and_caps_length() -> None:
    assert fold("Café ÀKTA") == "cafe akta"
    assert len(fold("x" * 10_000)) == 500


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("airnya", "air"),
        ("diurus", "urus"),
        ("toiletnya", "toilet"),
        ("syarate", "syarat"),
        ("warisan", "waris"),
        ("pendaftaran", "daftar"),
        ("nyambung", "sambung"),
        ("mbayar", "bayar"),
        ("nulis", "tulis"),
        ("ngirim", "kirim"),
        ("mecah", "pecah"),
        ("syaratipun", "syarat"),
        ("bayarke", "bayar"),
    ],
)
def test_affixes_are_tried_off_unknown_words(word: str, form: str) -> None:
    assert form in affix_variants(word)


def test_an_owned_phrase_is_still_the_phrase() -> None:
    # "kartu keluargaku" is the family card, as "kartu keluarga" is.
    assert tokens("kartu keluargaku suwek", default_lexicon())[:1] == ["kk"]
    # ... wherever the owned word stands in the phrase.
    assert "syarat" in tokens("pindah ke batu, dokumennya apa saja", default_lexicon())


@pytest.mark.parametrize(
    ("text", "under_17"),
    [
        ("ktp untuk anak saya usia 11 tahun", True),
        ("my daughter is 8 years old", True),
        ("anak umur 17 bikin ktp", False),
        ("mobil umur 4 tahun harus kir", False),  # a car's age is no child's
        ("nunggak 5 tahun", False),  # a duration, not an age
    ],
)
def test_an_age_below_17_reads_as_under_17(text: str, under_17: bool) -> None:
    assert ("bawah17" in tokens(text, default_lexicon())) is under_17
