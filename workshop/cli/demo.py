"""A realistic demo workshop, so `workshop demo` shows the product at work straight away."""

from __future__ import annotations

from workshop.core.db import Store
from workshop.notes import notes
from workshop.workshops import attendees, workshops

TITLE = "Safer walking routes to school — draft plan"
DESCRIPTION = (
    "The city wants to publish crash, crossing-guard and sidewalk data so parents, schools "
    "and neighbourhood groups can map safer walking routes. Tell us what this plan gets "
    "wrong, what is missing, and who should run it."
)
SECTIONS = [
    (
        "Goal and use case",
        "Parents and schools can see the safest walking route for every "
        "elementary school, and the city can see where to fix crossings first.",
    ),
    (
        "Intended users",
        "Parents, school safety committees, crossing-guard coordinators, "
        "neighbourhood associations.",
    ),
    (
        "Roles",
        "Transportation department publishes data; the school district shares school "
        "boundaries; a community partner runs mapping sessions.",
    ),
    (
        "Timeline",
        "Data published by March; three mapping sessions in April; first route maps "
        "printed for the new school year.",
    ),
    (
        "Activities",
        "Mapping walks with parents; a printed route map per school; an online map "
        "that updates monthly.",
    ),
    (
        "Data needed",
        "Crashes involving pedestrians (5 years), crossing-guard locations, "
        "sidewalk gaps, school boundaries, traffic counts near schools.",
    ),
    (
        "Who houses and sustains it",
        "The open-data team hosts the map for two years; after "
        "that a community partner or the district takes it over.",
    ),
]
PROMPTS = [
    ("What is missing from this plan?", None),
    ("Who should we talk to that is not here?", None),
    ("What is unrealistic about the timeline?", "Timeline"),
]
# (attendee, prompt index or None, section title or None, colour, text)
NOTES = [
    ("ana", 0, None, "yellow", "Winter: which sidewalks are actually cleared of snow?"),
    ("ana", 1, None, "pink", "The crossing guards themselves — they know every bad corner."),
    ("ben", 0, None, "blue", "Near misses, not just crashes. Parents can report those."),
    ("ben", 2, None, "green", "Three sessions in April collides with spring break."),
    ("chloé", 0, None, "yellow", "Maps in Spanish and Vietnamese, please."),
    ("chloé", 1, None, "orange", "Bus drivers and the after-school programs."),
    ("dev", 0, None, "purple", "Street lighting data for the dark winter mornings."),
    ("dev", None, "Data needed", "blue", "Speed data near schools, not just traffic counts."),
    ("eli", 2, None, "yellow", "Printed maps by the new school year is tight if data is late."),
    ("eli", None, "Who houses and sustains it", "pink", "Two years is short. Who pays after?"),
    ("fatima", 0, None, "green", "Wheelchair and stroller access: curb ramps are missing."),
    ("fatima", 1, None, "yellow", "Kids themselves! Ask the student council."),
    ("gus", None, "Activities", "orange", "Walking school buses — volunteers need the map too."),
    ("gus", 0, None, "blue", "How will parents find the map? Send it home in backpacks."),
    ("hana", None, "Roles", "purple", "Police should share enforcement data with the team."),
    ("hana", 2, None, "pink", "March is realistic only if the district signs the data deal now."),
]
PAPER = [
    (0, "yellow", "Construction detours change routes every summer."),
    (1, "green", "Seniors who walk the same streets in the morning."),
]


def seed_demo(store: Store) -> str:
    """Create the demo workshop with a morning's worth of notes; return its join code."""
    workshop = workshops.create_workshop(
        store,
        title=TITLE,
        description=DESCRIPTION,
        sections=[{"title": t, "body": b} for t, b in SECTIONS],
        prompts=[{"text": t, "section": s} for t, s in PROMPTS],
    )
    code = workshop["code"]
    prompt_ids = [prompt["id"] for prompt in workshop["prompts"]]
    section_ids = {section["title"]: section["id"] for section in workshop["sections"]}
    names = {"ana": "Ana", "chloé": "Chloé", "fatima": "Fatima"}
    for number, (who, prompt, section, color, text) in enumerate(NOTES):
        attendee_id = f"demo-{who}"
        attendee = attendees.join(store, code, attendee_id, names.get(who))
        notes.create_note(
            store,
            code,
            text=text,
            client_id=f"demo-{number}",
            attendee_id=attendee_id,
            prompt_id=None if prompt is None else prompt_ids[prompt],
            section_id=section_ids.get(section),
            color=color,
            author_label=attendee["name"],
        )
    for number, (prompt, color, text) in enumerate(PAPER):
        notes.create_note(
            store,
            code,
            text=text,
            client_id=f"demo-paper-{number}",
            prompt_id=prompt_ids[prompt],
            color=color,
            source="paper",
        )
    return code
