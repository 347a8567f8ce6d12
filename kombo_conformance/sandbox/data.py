"""Generating realistic records from the contract's own schemas.

``Generator.value(schema, name)`` produces a value that satisfies ``schema`` (required
fields, types, formats, enums, nullability), choosing field-name-aware realistic values
(``first_name``, ``email_address``, ``phone_number``, ``remote_url``, dates, ...). Which
values are ids of *other* records is decided by the store (``refs``): a field
``<x>_id`` takes an id of the collection whose singular is ``x`` when one is known.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from kombo_conformance.contract.filter_names import singular
from kombo_conformance.sandbox.datafiles import personality_data

# names of the collections named from a list or in pipelines (personalities.yaml, dataset)
LISTED: dict[str, list[str]] = {
    **personality_data()["dataset"]["names"],
    **personality_data()["dataset"]["pipelines"],
}


def listed_names(context: str, stem: str) -> list[str] | None:
    """The names of the collection ``stem`` names, in the use case of the collection
    ``context`` (``rejection_reason`` -> those of ``rejection-reasons``), if it has some."""
    use_case = context.split("/", 1)[0]
    for name, names in LISTED.items():
        case, _, tail = name.partition("/")
        if case == use_case and singular(tail).replace("-", "_") == stem:
            return names
    return None


ID_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
EPOCH = datetime(2022, 1, 1, tzinfo=UTC)
SPAN_DAYS = 3 * 365  # seeded timestamps fall in 2022-2024; writes happen "now", later

FIRST = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Tim",
    "Barbara",
    "Ken",
    "Radia",
    "Donald",
    "Frances",
    "Edsger",
    "Hedy",
    "Katherine",
    "John",
    "Sophie",
    "Lukas",
    "Mia",
    "Noah",
    "Emma",
    "Jonas",
    "Lea",
    "Paul",
    "Hannah",
    "Elias",
    "Marie",
    "Ben",
    "Lina",
    "Felix",
    "Clara",
    "Amir",
    "Yuki",
    "Priya",
    "Mateo",
    "Chloé",
    "Zoë",
    "Björn",
    "Iñés",
]
LAST = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Berners-Lee",
    "Liskov",
    "Thompson",
    "Perlman",
    "Knuth",
    "Allen",
    "Dijkstra",
    "Lamarr",
    "Johnson",
    "McCarthy",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "García",
    "Tanaka",
    "Patel",
    "O'Neil",
    "Nowak",
]
JOB_TITLES = (
    "Backend Engineer",
    "Frontend Engineer",
    "Data Scientist",
    "Product Manager",
    "Account Executive",
    "Customer Success Manager",
    "UX Designer",
    "DevOps Engineer",
    "Recruiter",
    "Marketing Manager",
    "Finance Analyst",
    "Site Reliability Engineer",
    "Head of People",
    "QA Engineer",
    "Sales Development Representative",
    "Werkstudent Marketing",
    "Staff Engineer",
    "Office Manager",
)
DEPARTMENTS = ("Engineering", "Sales", "Marketing", "People", "Finance", "Operations", "Product")
CITIES = (
    ("Berlin", "DE", "Berlin"),
    ("Munich", "DE", "Bavaria"),
    ("Hamburg", "DE", "Hamburg"),
    ("London", "GB", "England"),
    ("Paris", "FR", "Île-de-France"),
    ("Amsterdam", "NL", "North Holland"),
    ("New York", "US", "NY"),
    ("Zürich", "CH", "Zürich"),
)
COURSES = (
    "Data Privacy Basics",
    "Leading Remote Teams",
    "Python for Analysts",
    "Workplace Safety",
    "Negotiation Skills",
    "Security Awareness",
    "Giving Feedback",
    "Kubernetes Fundamentals",
    "Onboarding 101",
    "Presentation Skills",
)
SKILLS = (
    "Python",
    "Leadership",
    "Communication",
    "SQL",
    "Negotiation",
    "Kubernetes",
    "Project Management",
    "Design Thinking",
    "Sales",
    "Accounting",
)
WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "team",
    "growth",
    "hiring",
    "process",
    "remote",
    "office",
    "candidate",
    "pipeline",
    "review",
    "scorecard",
    "feedback",
    "onsite",
    "culture",
    "impact",
    "data",
    "cloud",
]
DOMAINS = ("example.com", "example.org", "mail.example.net")

Refs = Callable[[str], list[str]]


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    if isinstance(t, list):
        return list(t)
    return [t] if isinstance(t, str) else []


def allows_null(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    if "null" in _types(schema) or schema.get("const", 0) is None:
        return True
    if None in (schema.get("enum") or []):
        return True
    return any(allows_null(b) for b in schema.get("anyOf", []) + schema.get("oneOf", []))


def isoformat(moment: datetime) -> str:
    m = moment.astimezone(UTC)
    return (
        f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:"
        f"{m.second:02d}.{m.microsecond // 1000:03d}Z"
    )


_ID_TABLE = bytes(ord(ID_ALPHABET[b % len(ID_ALPHABET)]) for b in range(256))


def quick_id(rng: random.Random) -> str:
    """An id like :meth:`Generator.new_id` (24 characters of the id alphabet), faster."""
    return rng.randbytes(24).translate(_ID_TABLE).decode("ascii")


_DAYS = [(EPOCH + timedelta(days=d)).strftime("%Y-%m-%d") for d in range(SPAN_DAYS)]


def quick_date_time(rng: random.Random) -> str:
    """A seeded-range timestamp like :meth:`Generator.date_time`, several times faster
    (for deriving many records)."""
    ms = int(rng.random() * SPAN_DAYS * 86_400_000)
    day, ms = divmod(ms, 86_400_000)
    seconds, ms = divmod(ms, 1000)
    return (
        f"{_DAYS[day]}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{ms:03d}Z"
    )


def now_iso() -> str:
    return isoformat(datetime.now(UTC))


class Generator:
    """Schema-driven value generation with one deterministic random stream."""

    def __init__(
        self, rng: random.Random, refs: Refs | None = None, blank: tuple[str, ...] = ()
    ) -> None:
        self.rng = rng
        self.refs = refs or (lambda _name: [])
        self.blank = blank  # fields left null: the store decides (the deletion marker)
        self.person: tuple[str, str] = ("Ada", "Lovelace")
        self.context: str = ""
        self.depth = 0

    # -- small helpers ---------------------------------------------------------------
    def new_id(self) -> str:
        return "".join(self.rng.choices(ID_ALPHABET, k=24))

    def moment(self) -> datetime:
        seconds = self.rng.randrange(SPAN_DAYS * 86400)
        return EPOCH + timedelta(seconds=seconds, milliseconds=self.rng.randrange(1000))

    def date_time(self) -> str:
        return isoformat(self.moment())

    def new_person(self) -> tuple[str, str]:
        self.person = (self.rng.choice(FIRST), self.rng.choice(LAST))
        return self.person

    def email(self) -> str:
        first, last = self.person
        local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
        local = local.encode("ascii", "ignore").decode() or "person"
        return f"{local}{self.rng.randrange(100)}@{self.rng.choice(DOMAINS)}"

    def phone(self) -> str:
        return "+49 30 " + "".join(self.rng.choice(string.digits) for _ in range(7))

    def url(self, kind: str = "app") -> str:
        return f"https://{kind}.example.com/{self.rng.choice(WORDS)}/{self.new_id()[:10]}"

    def sentence(self, n: int = 6) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(n)).capitalize() + "."

    # -- generation ------------------------------------------------------------------
    def value(self, schema: Any, name: str = "", *, required: bool = True) -> Any:
        if not isinstance(schema, dict) or not schema:
            return self.string(name)
        if "const" in schema:
            return schema["const"]
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                merged = _merge(merged, part)
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            return self.value(_merge(merged, rest), name, required=required)
        branches = schema.get("anyOf") or schema.get("oneOf")
        if branches:
            real = [b for b in branches if "null" not in _types(b) or len(_types(b)) > 1]
            real = [b for b in real if _types(b) != ["null"]] or branches
            # prefer the enumerated branch: realistic values, filterable
            enumerated = [b for b in real if "enum" in b]
            if enumerated and self.rng.random() < 0.85:
                return self.value(enumerated[0], name)
            return self.value(self.rng.choice(real), name)
        if "enum" in schema:
            options = [v for v in schema["enum"] if v is not None] or [None]
            return self.rng.choice(options)
        types = [t for t in _types(schema) if t != "null"]
        if not types:
            if "properties" in schema:
                types = ["object"]
            elif "items" in schema:
                types = ["array"]
            else:
                return self.string(name) if not allows_null(schema) else None
        kind = types[0]
        if kind in ("object", "array"):
            self.depth += 1
            try:
                return self.obj(schema, name) if kind == "object" else self.array(schema, name)
            finally:
                self.depth -= 1
        if kind == "string":
            return self.string(name, schema)
        if kind == "integer":
            return self.integer(name, schema)
        if kind == "number":
            return self.number(name, schema)
        if kind == "boolean":
            return (
                self.rng.random() < 0.3
                if name in ("confidential", "canceled")
                else (self.rng.random() < 0.5)
            )
        return None

    def obj(self, schema: dict[str, Any], name: str = "") -> dict[str, Any]:
        props = schema.get("properties") or {}
        if not props:
            if schema.get("additionalProperties") not in (None, False) or name.endswith(
                ("custom_fields", "remote_data")
            ):
                return self._free_object(name)
            return {}
        required = set(schema.get("required") or [])
        out: dict[str, Any] = {}
        if {"first_name", "last_name"} & props.keys():
            self.new_person()
        for key, sub in props.items():
            if key in required or self.depth == 0 or self.rng.random() < 0.7:
                out[key] = self.field(key, sub, required=key in required)
        return out

    def _free_object(self, name: str) -> dict[str, Any]:
        if name == "remote_data":
            return {"source_system": "sandbox", "raw_id": self.new_id()[:8]}
        choices = {
            "cost_center": f"CC-{self.rng.randrange(100, 999)}",
            "referral_bonus": self.rng.choice([True, False]),
            "priority": self.rng.choice(["low", "medium", "high"]),
        }
        keys = self.rng.sample(sorted(choices), self.rng.randrange(0, 3))
        return {k: choices[k] for k in keys}

    def field(self, key: str, schema: Any, *, required: bool = True) -> Any:
        """A property value: nullable fields are mostly filled, sometimes null."""
        if key in self.blank:
            return None
        if (
            allows_null(schema)
            and self.rng.random() < 0.08
            and not key.endswith("_id")
            and key not in ("name", "first_name", "last_name", "email", "status")
        ):
            return None
        return self.value(schema, key, required=required)

    def array(self, schema: dict[str, Any], name: str) -> list[Any]:
        items = schema.get("items") or {}
        low = schema.get("minItems", 0)
        high = max(low, min(schema.get("maxItems", 3), 3 if self.depth <= 1 else 1))
        if name in ("email_addresses", "phone_numbers"):
            low = max(low, 1)
        count = self.rng.randint(low, high)
        if name.endswith(("_ids", "_id")) or name in ("interviewer_user_ids",):
            ids = self.refs(name[:-1] if name.endswith("s") else name)
            if ids:
                return self.rng.sample(ids, min(count, len(ids)))
        out = [self.value(items, singular(name)) for _ in range(count)]
        if "enum" in items or items.get("uniqueItems"):
            out = list(dict.fromkeys(out))
        return out

    def integer(self, name: str, schema: dict[str, Any]) -> int:
        low = int(schema.get("minimum", 0))
        high = int(schema.get("maximum", low + 100))
        if name == "index":
            return self.rng.randrange(0, 7)
        return self.rng.randint(low, max(low, min(high, low + 1000)))

    def number(self, name: str, schema: dict[str, Any]) -> float:
        if "salary" in name or name == "amount":
            return float(self.rng.randrange(40, 120) * 1000)
        if name == "weekly_hours":
            return float(self.rng.choice([20, 30, 35, 40]))
        if "score" in name or name in ("value", "max"):
            return float(self.rng.randrange(1, 100))
        low = schema.get("minimum", 0)
        low = 0 if low < -1e300 else low
        return float(self.rng.randrange(int(low), int(low) + 1000))

    def string(self, name: str, schema: dict[str, Any] | None = None) -> str:
        schema = schema or {}
        fmt = schema.get("format")
        n = name.lower()
        if fmt == "date-time" or n.endswith("_at") or n in ("starting_at", "ending_at"):
            return self.date_time()
        if fmt == "uri" or n.endswith(("url", "link")):
            return self.url("files" if "data" in n else "app")
        if n == "id" or n.endswith("_id") or n == "remote_id" or n.endswith("_remote_id"):
            ids = self.refs(n) if n != "id" and n != "remote_id" else []
            if ids:
                return self.rng.choice(ids)
            if "remote" in n:
                return str(self.rng.randrange(10_000, 9_999_999))
            return self.new_id()
        if n == "first_name":
            return self.person[0]
        if n == "last_name":
            return self.person[1]
        if "email" in n:
            return self.email()
        if "phone" in n:
            return self.phone()
        if n.endswith("_name") and (names := listed_names(self.context, n[:-5])):
            return self.rng.choice(names)
        if n in ("name", "title", "label", "remote_label"):
            return self.named(n)
        if n == "job_code":
            return f"JOB-{self.rng.randrange(1000, 9999)}"
        if n == "city":
            return self.rng.choice(CITIES)[0]
        if n == "country":
            return self.rng.choice(CITIES)[1]
        if n == "state":
            return self.rng.choice(CITIES)[2]
        if n == "zip_code":
            return f"{self.rng.randrange(10000, 99999)}"
        if n in ("street_1", "street_2"):
            return f"{self.rng.choice(WORDS).capitalize()}straße {self.rng.randrange(1, 120)}"
        if n == "raw":
            city, country, _ = self.rng.choice(CITIES)
            return f"{city}, {country}"
        if n == "department":
            return self.rng.choice(DEPARTMENTS)
        if n == "salary_currency" or n == "currency":
            return self.rng.choice(["EUR", "USD", "GBP", "CHF"])
        if n in ("company",):
            return self.rng.choice(["Acme GmbH", "Initech", "Globex", "Umbrella AG", "Hooli"])
        if n in ("source",):
            return self.rng.choice(["LinkedIn", "Referral", "Career Site", "Indeed", "Agency"])
        if n in ("content_type",):
            return "application/pdf"
        if n in ("file_name",):
            return f"{self.person[1].lower()}_cv.pdf"
        if n in ("username",):
            return f"{self.person[0].lower()}{self.rng.randrange(100)}"
        if n in ("description", "description_html", "message", "content", "note"):
            text = self.sentence(12)
            return f"<p>{text}</p>" if n.endswith("html") else text
        if n in ("category", "experience_level"):
            return self.rng.choice(["Senior", "Mid", "Junior", "Lead"])
        if n == "key":
            return self.rng.choice(["level", "team", "region"])
        if "pattern" in schema:
            return "sandbox"
        return self.rng.choice(WORDS)

    def named(self, field: str) -> str:
        ctx = self.context
        if ctx in LISTED:
            return self.rng.choice(LISTED[ctx])
        table = {
            "jobs": JOB_TITLES,
            "skills": SKILLS,
            "courses": COURSES,
            "course-revisions": COURSES,
        }
        for key, names in table.items():
            if ctx.endswith(key):
                return self.rng.choice(names)
        if field == "remote_label":
            return self.rng.choice(["Admin", "Recruiter", "Hiring Manager", "Interviewer"])
        return f"{self.rng.choice(WORDS).capitalize()} {self.rng.choice(WORDS)}"


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for key, value in b.items():
        if key == "properties":
            out["properties"] = {**out.get("properties", {}), **value}
        elif key == "required":
            out["required"] = [*out.get("required", []), *value]
        else:
            out[key] = value
    return out
