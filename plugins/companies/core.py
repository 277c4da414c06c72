"""Companies, without Pelican: the registry, the detector, and how front matter and detection combine.

    registry = load_registry("content/data/companies.yaml", languages=["fr", "en"])
    detector = CompanyDetector(registry)            # compile once per build
    found = detector.detect(plain_text(title, body))
    result = resolve_companies(explicit, found.ids, veto, registry.ids)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from common.suggest import closest

from .detector import CompanyDetector, CompanyMatch, Detection, Mention
from .registry import Company, Form, Registry, RegistryError, load_registry, parse_registry
from .text import plain_text

__all__ = ["Company", "CompanyDetector", "CompanyMatch", "Detection", "Form", "Mention", "Registry",
           "RegistryError", "Resolution", "UnknownId", "describe", "describe_line", "detection_notes",
           "load_registry", "parse_registry", "plain_text", "resolve_companies"]

REGISTRY_PATH = "content/data/companies.yaml"


@dataclass(frozen=True)
class UnknownId:
    field: str  # "companies" or "exclude_companies"
    id: str
    suggestion: str | None
    message: str

    @property
    def fix(self):
        if self.suggestion:
            return f"write '{self.suggestion}' instead of '{self.id}'"
        return f"remove '{self.id}' or add that company to the registry"


@dataclass
class Resolution:
    ids: list  # the story's companies: explicit first, then detected (most mentioned first)
    explicit: list = field(default_factory=list)
    detected: list = field(default_factory=list)  # detected and kept
    vetoed: list = field(default_factory=list)  # detected, removed by exclude_companies
    overruled: list = field(default_factory=list)  # in both companies and exclude_companies: kept
    errors: list = field(default_factory=list)  # UnknownId


def resolve_companies(explicit, detected, veto, known, registry_path=REGISTRY_PATH) -> Resolution:
    """Front matter decides: `explicit` ids are always kept, `veto` removes detected ids only.

    Ids not in `known` are errors (with the nearest known id as a suggestion) and are dropped."""
    known = list(known)
    result = Resolution(ids=[])
    valid_veto = set()
    for field_name, ids in (("companies", explicit), ("exclude_companies", veto)):
        for raw in ids or []:
            cid = str(raw).strip()
            if cid not in known:
                result.errors.append(_unknown(field_name, cid, known, registry_path))
            elif field_name == "companies" and cid not in result.explicit:
                result.explicit.append(cid)
            elif field_name == "exclude_companies":
                valid_veto.add(cid)
    result.overruled = [cid for cid in result.explicit if cid in valid_veto]
    for cid in detected or []:
        if cid in result.explicit or cid in result.detected or cid in result.vetoed:
            continue
        (result.vetoed if cid in valid_veto else result.detected).append(cid)
    result.ids = result.explicit + result.detected
    return result


def _unknown(field_name, cid, known, registry_path):
    suggestion = closest(cid, known)
    if suggestion:
        message = (f"unknown company id '{cid}' in {field_name}; did you mean '{suggestion}'? "
                   f"Known ids are in {registry_path}")
    else:
        message = f"unknown company id '{cid}' in {field_name}; known ids are in {registry_path}"
    return UnknownId(field_name, cid, suggestion, message)


def describe(resolution: Resolution, detection: Detection | None) -> str:
    """One report line for a story: what it names, where that came from, what was set aside."""
    forms, not_counted = detection_notes(detection) if detection else ({}, "")
    return describe_line(resolution, forms, not_counted)


def detection_notes(detection: Detection) -> tuple[dict, str]:
    """What describe() says of a detection whatever the front matter: each company's forms as written
    ({id: "Anthropic, Claude ×2"}, most mentioned company first) and the " | not counted: ..." tail.
    Small and text-free, so the detection cache keeps it and a build never rebuilds the Detection."""
    forms = {cid: ", ".join(f"{form} ×{n}" if n > 1 else form for form, n in match.forms.items())
             for cid, match in detection.companies.items()}
    skipped = {}
    for mention in detection.rejected:
        if not mention.reason.startswith("case differs"):
            skipped.setdefault(f"{mention.surface} ({mention.reason})", None)
    not_counted = ""
    if skipped:
        shown = list(skipped)[:5]
        not_counted = f" | not counted: {', '.join(shown)}" + (" …" if len(skipped) > 5 else "")
    return forms, not_counted


def describe_line(resolution: Resolution, forms: dict, not_counted: str = "") -> str:
    """describe() from detection_notes()."""
    parts = []
    for cid in resolution.ids:
        written = forms.get(cid, "")
        if cid in resolution.explicit:
            parts.append(f"{cid} (front matter{'; ' + written if written else ''})")
        else:
            parts.append(f"{cid} ({written})")
    line = "; ".join(parts) if parts else "no company"
    if resolution.vetoed:
        line += f" | vetoed: {', '.join(resolution.vetoed)}"
    if resolution.overruled:
        line += f" | in both companies and exclude_companies, kept: {', '.join(resolution.overruled)}"
    return line + not_counted
