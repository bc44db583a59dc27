"""The Survei Kepuasan Masyarakat of PermenPANRB 14/2017: its nine unsur, their 1-4 answer
labels (as in the regulation's sample questionnaire), and the IKM formula with its grades."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unsur:
    name: str
    question: str
    labels: tuple[str, str, str, str]  # the answers scored 1, 2, 3 and 4


UNSUR: tuple[Unsur, ...] = (
    Unsur(
        "Persyaratan",
        "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis "
        "pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Unsur(
        "Prosedur",
        "Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Unsur(
        "Waktu pelayanan",
        "Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Unsur(
        "Biaya/tarif",
        "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Unsur(
        "Produk layanan",
        "Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Unsur(
        "Kompetensi pelaksana",
        "Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Unsur(
        "Perilaku pelaksana",
        "Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan "
        "dan keramahan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    Unsur(
        "Sarana dan prasarana",
        "Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
    Unsur(
        "Penanganan pengaduan",
        "Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
)

# Lower bound of each grade on the IKM scale 25-100 (the regulation's "nilai interval konversi").
GRADES = (
    (88.31, "A", "Sangat baik"),
    (76.61, "B", "Baik"),
    (65.00, "C", "Kurang baik"),
    (25.00, "D", "Tidak baik"),
)


@dataclass(frozen=True)
class SkmResult:
    respondents: int
    unsur_means: tuple[float, ...]  # one per unsur, on the 1-4 scale
    ikm: float  # 25-100, rounded to 2 decimals as the regulation reports it
    grade: str
    quality: str

    def to_json(self) -> dict[str, object]:
        return {
            "respondents": self.respondents,
            "unsur": {u.name: round(m, 3) for u, m in zip(UNSUR, self.unsur_means, strict=True)},
            "ikm": self.ikm,
            "grade": self.grade,
            "quality": self.quality,
        }


def ikm(responses: list[tuple[int, ...]]) -> SkmResult | None:
    """IKM = the mean of the nine unsur means x 25 (each unsur weighs 1/9); None without data."""
    if not responses:
        return None
    means = tuple(sum(r[i] for r in responses) / len(responses) for i in range(len(UNSUR)))
    value = round(sum(means) / len(means) * 25, 2)
    letter, quality = grade(value)
    return SkmResult(len(responses), means, value, letter, quality)


def grade(value: float) -> tuple[str, str]:
    for lower, letter, quality in GRADES:
        if value >= lower:
            return letter, quality
    return "D", "Tidak baik"
