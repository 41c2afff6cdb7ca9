"""A person's skills as the seed records them: typed certifications, portfolio links, and verification by an admin.

The catalog's add/update of a skill pass their values through `stored_values` (validated, typed, JSON-ready);
`verify_skill` is the only writer of is_verified / verified_by / verified_at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from app.errors import bad_input, forbidden, not_found
from app.services.access import Viewer
from models import UserSkill

MAX_URLS = 20
MAX_URL_LENGTH = 2048
MAX_CERTIFICATIONS = 30
MAX_CERTIFICATION_NAME = 200
# Verification is recorded only through verify_skill: a client may not send these.
VERIFICATION_FIELDS = frozenset({"is_verified", "verified_by", "verified_by_id", "verified_at"})


@dataclass(frozen=True)
class Certification:
    name: str
    date: date | None

    def to_json(self) -> dict[str, str | None]:
        return {"name": self.name, "date": self.date.isoformat() if self.date else None}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Certification:
        raw = data.get("date")
        return cls(str(data.get("name", "")), date.fromisoformat(raw) if isinstance(raw, str) and raw else None)


def certifications_of(skill: UserSkill) -> list[Certification]:
    """The stored list as typed objects (a bare name, as written before 0010, is a certification without date)."""
    out = []
    for item in skill.certifications or []:
        if isinstance(item, str):
            out.append(Certification(item, None))
        elif isinstance(item, Mapping):
            out.append(Certification.from_json(item))
    return out


def _urls(field: str, values: Iterable[Any]) -> list[str]:
    urls = list(values)
    if len(urls) > MAX_URLS:
        raise bad_input(field, f"{field} holds at most {MAX_URLS} links")
    for i, url in enumerate(urls):
        text = str(url).strip()
        parts = urlsplit(text)
        if (
            len(text) > MAX_URL_LENGTH
            or parts.scheme not in ("http", "https")
            or not parts.hostname
            or any(c.isspace() or ord(c) < 32 for c in text)
        ):
            raise bad_input(field, f"{field}[{i}] must be an http(s) link with a host, at most {MAX_URL_LENGTH} long")
        urls[i] = text
    return urls


def _certifications(values: Iterable[Any], today: date) -> list[dict[str, str | None]]:
    items = list(values)
    if len(items) > MAX_CERTIFICATIONS:
        raise bad_input("certifications", f"certifications holds at most {MAX_CERTIFICATIONS} entries")
    out = []
    for i, item in enumerate(items):
        name = str(item.get("name") or "").strip()
        when = item.get("date")
        if not name or len(name) > MAX_CERTIFICATION_NAME:
            raise bad_input("certifications", f"certifications[{i}].name must be 1 to {MAX_CERTIFICATION_NAME} long")
        if isinstance(when, date) and when > today:
            raise bad_input("certifications", f"certifications[{i}].date must not be in the future")
        out.append(Certification(name, when if isinstance(when, date) else None).to_json())
    return out


def stored_values(values: Mapping[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """A skill input's values as stored: links checked, certifications typed; verification refused."""
    sent = VERIFICATION_FIELDS & values.keys()
    if sent:
        raise forbidden("Only an admin verifies a skill, with verifySkill")
    out = dict(values)
    for field in ("portfolio_image_urls", "sample_work_urls"):
        if field in out:
            out[field] = _urls(field, out[field])
    if "certifications" in out:
        out["certifications"] = _certifications(out["certifications"], today or datetime.now(UTC).date())
    return out


async def verify_skill(*, viewer: Viewer, skill_id: int, verified: bool, now: datetime | None = None) -> UserSkill:
    """An admin marks a skill verified (recording who and when) or takes the mark back."""
    viewer.require_user()
    skill = await UserSkill.get_or_none(id=skill_id)
    if skill is None:  # skills are public: saying one exists tells nothing new
        raise not_found("Skill", skill_id, field="skillId")
    if not viewer.is_admin:
        raise forbidden("Only an admin verifies skills")
    skill.is_verified = verified
    skill.verified_by_id = viewer.user_id if verified else None
    skill.verified_at = (now or datetime.now(UTC)) if verified else None
    await skill.save(update_fields=["is_verified", "verified_by_id", "verified_at", "updated_at"])
    return skill
