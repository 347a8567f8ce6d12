"""Personal data of candidates and users, replaced by stable fakes before recording.

Fields are recognised by name and shape, as the contracts spell them, never per path:

* ``first_name``, ``last_name``; ``name`` of a person (an object that also has a first or
  last name, an email or a phone number: users, candidates, interviewers, ...);
* every string under a key containing ``email`` (``email``, ``work_email``,
  ``email_addresses[].email_address``, ...) and ``phone`` (``phone_numbers[].phone_number``);
* ``content`` of a note (an object with ``content`` and ``content_type``, or under a
  ``note``/``notes`` key);
* ``data`` (base64) and ``name`` of an attachment (an object with ``data`` and
  ``content_type``, or under an ``attachment``/``attachments`` key);
* in any other string (error messages, descriptions, URLs): email addresses by shape, and
  every name already faked above, so an error echoing a name is scrubbed too.

A fake depends only on the kind and the original value (a truncated SHA-256), so the same
person gets the same fake in every record and every cassette: relationships survive.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

FAKE_DOMAIN = "redacted.invalid"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
PERSON_KEYS = frozenset({"first_name", "last_name"})
NOTE_PARENTS = frozenset({"note", "notes"})
ATTACHMENT_PARENTS = frozenset({"attachment", "attachments", "cv", "resume"})
MIN_ECHO_LENGTH = 3  # shorter faked values are not searched for in free text
ECHOED = frozenset({"first_name", "last_name", "name"})  # searched for in free text
WORD = re.compile(r"[^\W\d_](?:[\w'-]*\w)?")


def _digest(kind: str, value: str, length: int = 10) -> str:
    return hashlib.sha256(f"{kind}\0{value}".encode()).hexdigest()[:length]


def _is_person(node: Mapping[str, Any]) -> bool:
    return any(k in PERSON_KEYS or "email" in k or "phone" in k for k in node if isinstance(k, str))


class PiiFaker:
    """Replaces personal data in JSON values and text; remembers what it faked."""

    def __init__(self) -> None:
        self.faked: dict[str, str] = {}  # original -> fake, for free-text echoes
        self._fakes: set[str] = set()
        self._words: dict[str, str] = {}  # one-word names, echoed in free text
        self._phrases: dict[str, str] = {}  # several-word names, echoed in free text

    # -- fakes -----------------------------------------------------------------------------
    def fake(self, kind: str, value: str) -> str:
        """The stable fake of ``value`` as a ``kind`` (email, first_name, last_name, name,
        phone, note, attachment_data, file_name)."""
        if not value or value in self._fakes:
            return value  # already a fake (or nothing to hide)
        digest = _digest(kind, value)
        fake = {
            "email": f"person-{digest}@{FAKE_DOMAIN}",
            "first_name": f"First-{digest[:6]}",
            "last_name": f"Last-{digest[:6]}",
            "name": f"Person-{digest[:6]}",
            "phone": "+1 555 " + "".join(str(int(c, 16) % 10) for c in digest[:7]),
            "note": f"Redacted note {digest}.",
            "attachment_data": base64.b64encode(f"redacted attachment {digest}\n".encode())
            .decode()
            .rstrip("="),
            "file_name": f"attachment-{digest[:6]}{PurePosixPath(value).suffix[:10]}",
        }.get(kind, f"redacted-{digest}")
        if kind == "attachment_data":
            fake += "=" * (-len(fake) % 4)
        if value not in self.faked:
            self.faked[value] = fake
            self._fakes.add(fake)
            if kind in ECHOED and len(value) >= MIN_ECHO_LENGTH:
                words = self._words if WORD.fullmatch(value) else self._phrases
                words[value] = fake
        return fake

    # -- structures ------------------------------------------------------------------------
    def value(self, node: Any, key: str = "") -> Any:
        """A copy of a JSON value with personal data faked (see the module docstring)."""
        if isinstance(node, Mapping):
            return self._mapping(node, key)
        if isinstance(node, list):
            return [self.value(item, key) for item in node]
        if isinstance(node, str):
            return self._field(key, node)
        return node

    def _mapping(self, node: Mapping[str, Any], parent: str) -> dict[str, Any]:
        person = _is_person(node)
        note = "content" in node and ("content_type" in node or parent in NOTE_PARENTS)
        attachment = "data" in node and ("content_type" in node or parent in ATTACHMENT_PARENTS)
        out: dict[str, Any] = {}
        for key, item in node.items():
            if not isinstance(item, str):
                out[key] = self.value(item, key)
            elif key == "name" and person:
                out[key] = self._full_name(node, item)
            elif key == "content" and note:
                out[key] = self.fake("note", item)
            elif key == "data" and attachment:
                out[key] = self.fake("attachment_data", item)
            elif key in ("name", "file_name") and attachment:
                out[key] = self.fake("file_name", item)
            else:
                out[key] = self._field(key, item)
        return out

    def _full_name(self, node: Mapping[str, Any], name: str) -> str:
        first, last = node.get("first_name"), node.get("last_name")
        if isinstance(first, str) and isinstance(last, str) and name == f"{first} {last}":
            return f"{self.fake('first_name', first)} {self.fake('last_name', last)}"
        return self.fake("name", name)

    def _field(self, key: str, text: str) -> str:
        lowered = key.lower()
        if lowered in PERSON_KEYS:
            return self.fake(lowered, text)
        if "email" in lowered:
            return self._emails(text) if "@" in text else self.fake("email", text)
        if "phone" in lowered:
            return self.fake("phone", text)
        return self.text(text)

    # -- free text -------------------------------------------------------------------------
    def _emails(self, text: str) -> str:
        return EMAIL.sub(lambda m: self.fake("email", m[0]), text)

    def text(self, text: str) -> str:
        """Email addresses by shape, then every name faked so far, in free text."""
        text = self._emails(text)
        for phrase in self._phrases:
            if phrase in text:
                text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", self._phrases[phrase], text)
        return WORD.sub(lambda m: self._words.get(m[0], m[0]), text)
