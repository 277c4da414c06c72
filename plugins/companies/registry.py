"""The company registry (content/data/companies.yaml): loading and validation.

Every problem is reported at once, each naming the file and the company id, so an editor fixes the
file in one pass instead of one error per build.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field

import yaml

from common.safety import read_data_file
from common.suggest import closest

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DEFAULT_WINDOW = 8
DEFAULT_DETERMINERS = ("a", "an", "the", "un", "une", "le", "la", "l", "les", "des", "du")

COMPANY_KEYS = {"id", "name", "aliases", "products", "cues", "website", "founded", "headquarters",
                "description", "logo", "color"}
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
FORM_KEYS = {"form", "case_sensitive", "needs_cue", "ambiguous", "versioned", "cues", "anti_cues",
             "not_preceded_by", "not_followed_by", "hidden"}
TOP_KEYS = {"window", "determiners", "cue_sets", "candidates", "companies"}


def contrast_with_white(color):
    """WCAG contrast ratio of white text on `color` (#rrggbb)."""
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(color[i:i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


class RegistryError(ValueError):
    """The registry file is not usable. `problems` holds one line per problem."""

    def __init__(self, path, problems):
        self.path = str(path)
        self.problems = list(problems)  # without the path, for reports that name the file apart
        super().__init__("\n".join(f"{self.path}: {p}" for p in self.problems))


@dataclass(frozen=True)
class Form:
    """One way a company is written in a text: its name, an alias or a product."""

    text: str
    company: str
    kind: str  # "alias" or "product"
    case_sensitive: bool = False
    needs_cue: bool = False
    ambiguous: bool = False
    versioned: bool | str = False  # True: a version after the form is a cue; "required": no version, no match
    cues: tuple = ()  # resolved: company cues + form cues + cue sets
    anti_cues: tuple = ()
    not_preceded_by: tuple = ()
    not_followed_by: tuple = ()
    hidden: bool = False

    @property
    def guarded(self):
        """Forms that are also ordinary words: they get the compound / neighbour / anti-cue checks."""
        return self.needs_cue or self.ambiguous


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    forms: tuple  # Form, aliases first
    website: str | None = None
    founded: int | None = None
    headquarters: dict = field(default_factory=dict)  # lang -> text
    description: dict = field(default_factory=dict)  # lang -> paragraph
    logo: str | None = None
    cues: tuple = ()
    color: str | None = None  # brand colour of the monogram and social cards (#rrggbb)

    @property
    def aliases(self):
        return [f.text for f in self.forms if f.kind == "alias" and not f.hidden and f.text != self.name]

    @property
    def products(self):
        return [f.text for f in self.forms if f.kind == "product" and not f.hidden]


@dataclass(frozen=True)
class Registry:
    path: str
    companies: dict  # id -> Company, in file order
    digest: str  # sha256 of the file bytes: cache key part
    window: int = DEFAULT_WINDOW
    determiners: tuple = DEFAULT_DETERMINERS
    candidate_ignore: tuple = ()

    @property
    def ids(self):
        return list(self.companies)

    def forms(self):
        for company in self.companies.values():
            yield from company.forms

    def suggest(self, unknown):
        """The known id closest to `unknown`, or None."""
        return closest(unknown, self.ids)


# libyaml when PyYAML was built with it: the same safe loading, ~8x faster than the pure-Python parser.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# (file digest, path, languages) -> Registry (frozen): a long-lived process (pelican --listen) does
# not parse and check an unchanged file again. One entry: an edited file replaces it.
_loaded: dict = {}


def load_registry(path, languages=None) -> Registry:
    """Read and validate the registry. `languages`: descriptions required in each of them."""
    path = str(path)
    try:
        raw = read_data_file(path)  # the link rule: never a link out of content/, a FIFO, a device
    except OSError as exc:
        raise RegistryError(path, [f"cannot read the company registry: {exc.strerror or exc}"]) from exc
    key = (hashlib.sha256(raw).hexdigest(), path, tuple(languages or ()))
    registry = _loaded.get(key)
    if registry is None:
        registry = parse_registry(raw, path, languages)
        _loaded.clear()
        _loaded[key] = registry
    return registry


def parse_registry(raw: bytes, path="companies.yaml", languages=None) -> Registry:
    try:
        try:
            data = yaml.load(raw, Loader=_LOADER)
        except yaml.YAMLError:  # the pure-Python parser words the error (and its line) as before
            data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RegistryError(path, [f"{where}invalid YAML: {problem}"]) from exc
    checker = _Checker()
    registry = checker.registry(data, languages or ())
    if checker.problems:
        raise RegistryError(path, checker.problems)
    return Registry(path=path, digest=hashlib.sha256(raw).hexdigest(), **registry)


class _Checker:
    def __init__(self):
        self.problems = []

    def fail(self, where, message):
        self.problems.append(f"{where}{message}")

    def registry(self, data, languages):
        if not isinstance(data, dict) or not isinstance(data.get("companies"), list):
            self.fail("", "expected a mapping with a 'companies' list")
            return {}
        self.unknown_keys(data, TOP_KEYS, "")
        window = data.get("window", DEFAULT_WINDOW)
        if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 50:
            self.fail("", f"'window' must be a number of words between 1 and 50, got {window!r}")
            window = DEFAULT_WINDOW
        determiners = self.words(data.get("determiners", DEFAULT_DETERMINERS), "", "determiners")
        cue_sets = {}
        for name, words in (data.get("cue_sets") or {}).items():
            cue_sets[str(name)] = self.words(words, f"cue set '{name}': ", "words")
        candidates = data.get("candidates") or {}
        ignore = self.words(candidates.get("ignore", []) if isinstance(candidates, dict) else candidates,
                            "", "candidates.ignore")
        companies, owners = {}, {}
        for index, entry in enumerate(data["companies"]):
            company = self.company(entry, index, cue_sets, languages)
            if company is None:
                continue
            if company.id in companies:
                self.fail(f"company '{company.id}': ", "duplicate id")
                continue
            companies[company.id] = company
            for form in company.forms:
                key = (form.text.lower() if not form.case_sensitive else form.text, form.case_sensitive)
                other = owners.setdefault(key, company.id)
                if other != company.id:
                    self.fail(f"company '{company.id}': ",
                              f"form '{form.text}' is also a form of '{other}'; a form names one company")
        if not companies and not self.problems:
            self.fail("", "no company defined")
        return dict(companies=companies, window=window, determiners=tuple(w.lower() for w in determiners),
                    candidate_ignore=tuple(ignore))

    def company(self, entry, index, cue_sets, languages):
        if not isinstance(entry, dict):
            self.fail(f"company #{index + 1}: ", "expected a mapping (id, name, aliases, ...)")
            return None
        cid = entry.get("id")
        if not isinstance(cid, str) or not ID_RE.match(cid):
            self.fail(f"company #{index + 1}: ",
                      f"'id' must be lowercase letters, digits and hyphens (like 'mistral-ai'), got {cid!r}")
            return None
        where = f"company '{cid}': "
        self.unknown_keys(entry, COMPANY_KEYS, where)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            self.fail(where, "'name' (the display name) is required")
            return None
        company_cues = self.words(entry.get("cues", []), where, "cues")
        forms, seen = [], set()
        explicit = [("alias", e) for e in self.listing(entry, "aliases", where)]
        explicit += [("product", e) for e in self.listing(entry, "products", where)]
        if not any(_form_text(e) == name for _, e in explicit):
            explicit.insert(0, ("alias", name))  # the display name is always a form
        for kind, item in explicit:
            form = self.form(item, kind, cid, where, company_cues, cue_sets)
            if form is None:
                continue
            key = (form.text if form.case_sensitive else form.text.lower(), form.case_sensitive)
            if key in seen:
                self.fail(where, f"form '{form.text}' is listed twice")
                continue
            seen.add(key)
            forms.append(form)
        website = entry.get("website")
        if website is not None and not (isinstance(website, str) and re.match(r"^https?://\S+$", website)):
            self.fail(where, f"'website' must be an http(s) URL, got {website!r}")
            website = None
        founded = entry.get("founded")
        this_year = datetime.date.today().year
        if founded is not None and (not isinstance(founded, int) or isinstance(founded, bool)
                                    or not 1800 <= founded <= this_year):
            self.fail(where, f"'founded' must be a year between 1800 and {this_year}, got {founded!r}")
            founded = None
        logo = entry.get("logo")
        if logo is not None and not isinstance(logo, str):
            self.fail(where, f"'logo' must be a path or URL, got {logo!r}")
            logo = None
        color = entry.get("color")
        if color is not None and not (isinstance(color, str) and COLOR_RE.match(color)):
            self.fail(where, f"'color' must be a colour as #rrggbb, got {color!r}")
            color = None
        elif color is not None and contrast_with_white(color) < 4.5:
            self.fail(where, f"'color' {color} is too light for white letters "
                      f"(contrast {contrast_with_white(color):.1f}:1, 4.5:1 needed); use a darker shade")
            color = None
        return Company(id=cid, name=name.strip(), forms=tuple(forms), website=website, founded=founded,
                       headquarters=self.texts(entry, "headquarters", where, (), allow_plain=True),
                       description=self.texts(entry, "description", where, languages),
                       logo=logo, cues=tuple(company_cues), color=color)

    def form(self, item, kind, cid, where, company_cues, cue_sets):
        if isinstance(item, str):
            item = {"form": item}
        if not isinstance(item, dict):
            self.fail(where, f"each of {kind}s must be a text or a mapping with 'form', got {item!r}")
            return None
        text = item.get("form")
        if not isinstance(text, str) or len(text.strip()) < 2:
            article = "an" if kind == "alias" else "a"
            self.fail(where, f"{article} {kind} needs a 'form' of at least two characters, got {text!r}")
            return None
        text = " ".join(text.split())
        at = f"{where}{kind} '{text}': "
        self.unknown_keys(item, FORM_KEYS, at)
        flags = {}
        for flag in ("case_sensitive", "needs_cue", "ambiguous", "hidden"):
            value = item.get(flag, False)
            if not isinstance(value, bool):
                self.fail(at, f"'{flag}' must be true or false, got {value!r}")
                value = False
            flags[flag] = value
        versioned = item.get("versioned", False)
        if versioned not in (True, False, "required"):
            self.fail(at, f"'versioned' must be true, false or 'required', got {versioned!r}")
            versioned = False
        if flags["needs_cue"] and flags["ambiguous"]:
            self.fail(at, "'needs_cue' and 'ambiguous' exclude each other (needs_cue is the stricter)")
        cues = []
        if flags["needs_cue"] or flags["ambiguous"]:
            for word in company_cues + self.words(item.get("cues", []), at, "cues"):
                if word.startswith("@"):
                    if word[1:] not in cue_sets:
                        self.fail(at, f"unknown cue set '{word}' (known: {', '.join(sorted(cue_sets))})")
                    cues.extend(cue_sets.get(word[1:], []))
                else:
                    cues.append(word)
        elif "cues" in item or "anti_cues" in item:
            self.fail(at, "'cues' and 'anti_cues' only apply with needs_cue or ambiguous")
        return Form(text=text, company=cid, kind=kind, versioned=versioned,
                    cues=tuple(dict.fromkeys(cues)),
                    anti_cues=tuple(self.words(item.get("anti_cues", []), at, "anti_cues")),
                    not_preceded_by=tuple(self.words(item.get("not_preceded_by", []), at, "not_preceded_by")),
                    not_followed_by=tuple(self.words(item.get("not_followed_by", []), at, "not_followed_by")),
                    **flags)

    def listing(self, entry, key, where):
        value = entry.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, f"'{key}' must be a list, got {value!r}")
            return []
        return value

    def words(self, value, where, key):
        if not isinstance(value, (list, tuple)) or not all(isinstance(w, str) and w.strip() for w in value):
            self.fail(where, f"'{key}' must be a list of words, got {value!r}")
            return []
        return [" ".join(w.split()) for w in value]

    def texts(self, entry, key, where, languages, allow_plain=False):
        value = entry.get(key)
        if value is None:
            if languages:
                self.fail(where, f"'{key}' is required, one text per language: {', '.join(languages)}")
            return {}
        if allow_plain and isinstance(value, str):
            return {"*": value.strip()}
        if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            self.fail(where, f"'{key}' must map each language to a non-empty text, like {{fr: ..., en: ...}}")
            return {}
        for lang in languages:
            if lang not in value:
                self.fail(where, f"'{key}' has no text for language '{lang}'")
        return {str(k): " ".join(v.split()) for k, v in value.items()}

    def unknown_keys(self, mapping, known, where):
        for key in mapping:
            if key not in known:
                close = closest(key, known)
                hint = f"; did you mean '{close}'?" if close else f" (known: {', '.join(sorted(known))})"
                self.fail(where, f"unknown field '{key}'{hint}")


def _form_text(item):
    text = item.get("form") if isinstance(item, dict) else item
    return " ".join(text.split()) if isinstance(text, str) else None
