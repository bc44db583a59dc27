"""The SKM index of PermenPANRB 14/2017 against a worked example, and its grade boundaries."""

from __future__ import annotations

import pytest

from knowledge.skm import UNSUR, grade, ikm

# Four respondents, nine unsur each (1-4).
WORKED = [
    (4, 4, 3, 4, 3, 3, 4, 3, 2),
    (3, 3, 3, 4, 3, 4, 4, 3, 3),
    (3, 2, 2, 4, 3, 3, 3, 3, 2),
    (4, 3, 3, 4, 4, 4, 4, 4, 3),
]


def test_worked_example_gives_the_regulations_index_and_grade() -> None:
    # By hand: unsur sums 14 12 11 16 13 14 15 13 10 over 4 respondents give the means
    # 3.5 3.0 2.75 4.0 3.25 3.5 3.75 3.25 2.5; their mean 29.5 / 9 = 3.2778; x 25 = 81.94.
    # (With the regulation's rounded weight 0.111: 29.5 x 0.111 x 25 = 81.86, the same grade.)
    result = ikm(WORKED)
    assert result is not None
    assert result.respondents == 4
    assert result.unsur_means == (3.5, 3.0, 2.75, 4.0, 3.25, 3.5, 3.75, 3.25, 2.5)
    assert result.ikm == 81.94
    assert (result.grade, result.quality) == ("B", "Baik")
    assert result.to_json()["unsur"]["Penanganan pengaduan"] == 2.5


@pytest.mark.parametrize(
    ("value", "letter"),
    [
        (100, "A"),
        (88.31, "A"),
        (88.30, "B"),
        (76.61, "B"),
        (76.60, "C"),
        (65.00, "C"),
        (64.99, "D"),
        (25.00, "D"),
    ],
)
def test_grade_boundaries(value: float, letter: str) -> None:
    assert grade(value)[0] == letter


def test_extremes_and_no_data() -> None:
    assert ikm([(4,) * 9]).ikm == 100.0  # type: ignore[union-attr]
    assert ikm([(1,) * 9]).grade == "D"  # type: ignore[union-attr]
    assert ikm([]) is None


def test_every_unsur_has_four_labels_from_worst_to_best() -> None:
    assert len(UNSUR) == 9
    assert [u.labels[3] for u in UNSUR][:2] == ["Sangat sesuai", "Sangat mudah"]
    assert UNSUR[3].labels == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
