"""The fixed vocabulary of the diary: body areas, starter emotions and starter tags.

Plain Python (no Django) so the API, forms, body map and demo data share one list.
"""

from dataclasses import dataclass

MAX_SLEEP_HOURS = 24


@dataclass(frozen=True)
class BodyArea:
    slug: str
    label: str


BODY_AREAS = [
    BodyArea("head", "Head"),
    BodyArea("jaw", "Jaw and face"),
    BodyArea("neck", "Neck"),
    BodyArea("left_shoulder", "Left shoulder"),
    BodyArea("right_shoulder", "Right shoulder"),
    BodyArea("chest", "Chest"),
    BodyArea("abdomen", "Abdomen"),
    BodyArea("upper_back", "Upper back"),
    BodyArea("lower_back", "Lower back"),
    BodyArea("left_arm", "Left arm"),
    BodyArea("right_arm", "Right arm"),
    BodyArea("left_hand", "Left hand and wrist"),
    BodyArea("right_hand", "Right hand and wrist"),
    BodyArea("pelvis", "Pelvis and groin"),
    BodyArea("left_hip", "Left hip and buttock"),
    BodyArea("right_hip", "Right hip and buttock"),
    BodyArea("left_thigh", "Left thigh"),
    BodyArea("right_thigh", "Right thigh"),
    BodyArea("left_knee", "Left knee"),
    BodyArea("right_knee", "Right knee"),
    BodyArea("left_lower_leg", "Left lower leg"),
    BodyArea("right_lower_leg", "Right lower leg"),
    BodyArea("left_foot", "Left foot and ankle"),
    BodyArea("right_foot", "Right foot and ankle"),
]
BODY_AREA_SLUGS = [area.slug for area in BODY_AREAS]
BODY_AREA_LABELS = {area.slug: area.label for area in BODY_AREAS}

STARTER_EMOTIONS = [
    "anxious",
    "worried",
    "sad",
    "angry",
    "frustrated",
    "guilty",
    "ashamed",
    "lonely",
    "tired",
    "calm",
    "hopeful",
    "content",
]

STARTER_CONTEXT_TAGS = [
    "work",
    "long sitting",
    "long standing",
    "housework",
    "lifting",
    "poor sleep",
    "conflict",
    "worry",
    "weather change",
    "screen time",
    "travel",
    "exercise",
    "social time",
    "period",
]
STARTER_HELPED_TAGS = [
    "walk",
    "stretching",
    "heat",
    "rest",
    "somatic tracking",
    "breathing",
    "talking to someone",
    "distraction",
    "bath or shower",
    "medication",
]


def normalise_name(name: str) -> str:
    """Tag and emotion names: trimmed, single spaces, lower case."""
    return " ".join(name.split()).lower()
