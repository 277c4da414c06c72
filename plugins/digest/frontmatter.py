"""Front matter: parse a Markdown file's YAML header and check it against the contract.

Pure: bytes and a few settings in, a `Document` or a list of `Problem`s out. The reader, `invoke check`,
`invoke import` and the translation memory all use it, so a file is judged the same way everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml

from common.suggest import closest

from .report import Problem
from .slugs import slugify  # noqa: F401  (the one slug function; invoke new and import use it here)

REQUIRED = ("title", "date", "lang")
OPTIONAL = (
    "slug", "summary", "source", "source_name", "author", "tags", "companies",
    "exclude_tags", "exclude_companies", "clean", "status", "modified",
    # translation memory
    "translation_of", "source_lang", "source_hash", "provider", "translated", "reviewed", "checks",
)
LIST_FIELDS = ("tags", "companies", "exclude_tags", "exclude_companies")
STATUSES = ("published", "draft", "hidden")
# Which registry an id list is checked against (key of `known_ids`).
ID_FIELDS = {"tags": "tags", "exclude_tags": "tags", "companies": "companies",
             "exclude_companies": "companies"}
LANG_SUFFIX = re.compile(r"\.([a-z]{2,3})$")
MIN_YEAR, MAX_YEAR = 1900, 2999
TEXT_FIELDS = ("title", "summary", "source_name", "author")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~10x faster
    """SafeLoader that leaves dates as strings, so a bad date is our message, not a YAML crash."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# The front matter of nearly every post is one `key: value` per line with plain or quoted text. Such a
# header is read here, a few times faster than libyaml builds it (a tenth of reading a post), and
# gives exactly what libyaml gives; anything else (lists, nesting, escapes, numbers, odd characters)
# goes to libyaml.
_SIMPLE_LINE = re.compile(r"([a-z_][a-z0-9_]*):(?: (.*))?\Z")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Spaces that Python does not call printable but YAML reads as ordinary characters (typeset French
# titles are full of U+00A0 and U+202F).
_ORDINARY_SPACES = {cp: "x" for cp in (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000)}


def _plain_value(text):
    """(True, value) for a value libyaml would read as this string, boolean or null; (False, None)
    for anything this reader does not vouch for."""
    text = text.strip(" ")
    if not text or text.startswith("#"):
        return True, None  # "key:" or "key:   # comment"
    first = text[0]
    if first == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            return False, None
        return True, inner.replace("''", "'")
    if first == '"':
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != '"' or '"' in inner or "\\" in inner:
            return False, None
        return True, inner
    if first in _INDICATORS or ": " in text or "#" in text or text.endswith(":"):
        return False, None
    for tag, pattern in _Loader.yaml_implicit_resolvers.get(first, ()):
        if pattern.match(text):
            if tag == "tag:yaml.org,2002:bool":
                return True, yaml.constructor.SafeConstructor.bool_values[text.lower()]
            if tag == "tag:yaml.org,2002:null":
                return True, None
            return False, None  # numbers, "<<", "=": libyaml
    return True, text


def plain_header(header: str):
    """The mapping of a header made only of `key: text` lines (and blank or comment lines), or
    None when libyaml must read it."""
    meta = {}
    for line in header.split("\n"):
        if not line.isprintable() and not line.translate(_ORDINARY_SPACES).isprintable():
            # YAML's printable characters are not Python's, and some are line breaks (U+2028)
            return None
        if not line.strip(" ") or line.startswith("#"):
            continue
        match = _SIMPLE_LINE.match(line)
        if match is None:
            return None
        key = match.group(1)
        if any(pattern.match(key) for _tag, pattern in _Loader.yaml_implicit_resolvers.get(key[0], ())):
            return None  # a key such as "true" or "null" is not text in YAML
        simple, value = _plain_value(match.group(2) or "")
        if not simple:
            return None
        meta[key] = value
    return meta or None  # a header of comments only: libyaml says what it is


@dataclass
class Document:
    path: str
    meta: dict
    body: str
    body_line: int  # 1-based line number where the body starts
    problems: list = field(default_factory=list)  # non-fatal (warnings)


class ContentError(Exception):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def decode(raw: bytes, path: str) -> str:
    if not raw.strip():
        raise ContentError([Problem(path, "the file is empty",
                                    fix="start it with front matter: ---, title, date, lang, ---")])
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        raise ContentError([Problem(path, f"binary data (a NUL byte at offset {offset}), not text",
                                    fix="remove the file or replace it with a UTF-8 Markdown post")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError([Problem(path, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line=line,
                                    fix="save the file as UTF-8")]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split(text: str, path: str) -> tuple[str, str, int]:
    """Return (yaml text, body, body line) or raise for a missing or unclosed header."""
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise ContentError([Problem(path, "no front matter: the first line must be ---", line=1,
                                    fix="add ---, then title, date and lang, then --- above the text")])
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    raise ContentError([Problem(path, "the front matter is never closed", line=1,
                                fix="add a line with --- after the last field")])


def key_line(header: str, key: str) -> int | None:
    match = re.search(rf"^{re.escape(key)}\s*:", header, re.M)
    return header[: match.start()].count("\n") + 2 if match else None


def parse_date(value, tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time(0, 0))
    else:
        text = str(value).strip()
        if not text:
            raise ValueError("it is empty")
        text = re.sub(r"^(\d{4}-\d{2}-\d{2})[ T]", r"\1T", text)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{1,2}:\d{2}", text):
            text += ":00"
        text = re.sub(r"Z$", "+00:00", text)
        parsed = datetime.fromisoformat(text)  # raises ValueError on 2024-02-30
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        # Pages, weeks and feeds do date arithmetic: year 9999 overflows, year 1 makes /1/01/.
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed


def as_list(value):
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return None


def safe_http_url(value) -> str | None:
    if not isinstance(value, str):
        return None
    url = value.strip()
    if any(ch in url for ch in "\x00\n\r\t<>\"' ") or any(ord(ch) < 32 for ch in url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def nearest(value, choices):
    return closest(value, choices)


def load(raw: bytes, path: str, *, languages, timezone="UTC", known_ids=None) -> Document:
    """Parse and validate one file. Raises ContentError listing every problem found."""
    text = decode(raw, path)
    header, body, body_line = split(text, path)
    # YAML forbids tabs as whitespace; pasted front matter often has them.
    header = re.sub(r"^\t+", lambda m: "  " * len(m.group()), header, flags=re.M).replace("\t", " ")
    try:
        meta = (plain_header(header) or yaml.load(header, Loader=_Loader)) if header.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError([Problem(path, f"the front matter is not valid YAML: {what}", line=line,
                                    fix="check quotes and colons on that line; quote titles that "
                                        "contain ': '")]) from None
    if not isinstance(meta, dict):
        raise ContentError([Problem(path, "the front matter is not a list of 'field: value' lines",
                                    line=2, fix="write one 'field: value' per line")])
    problems = []

    def bad(fld, message, fix):
        problems.append(Problem(path, message, field=fld, line=key_line(header, fld), fix=fix))

    meta = {str(k).strip().lower(): v for k, v in meta.items()}
    for fld in REQUIRED:
        if meta.get(fld) in (None, ""):
            problems.append(Problem(path, "is missing", field=fld, line=key_line(header, fld) or 2,
                                    fix=f"add a '{fld}:' line to the front matter"))
    for fld in TEXT_FIELDS:
        if isinstance(meta.get(fld), (list, dict)):
            bad(fld, "must be text, not a list or a mapping",
                f"quote the value: {fld}: \"...\" (brackets and braces mean a list or a mapping in YAML)")
            meta[fld] = None if fld != "title" else ""
    title = meta.get("title")
    if title not in (None, "") and not isinstance(title, str):
        meta["title"] = title = str(title)
    if isinstance(title, str):
        meta["title"] = title = " ".join(title.split())
    if meta.get("date") not in (None, ""):
        try:
            meta["date"] = parse_date(meta["date"], ZoneInfo(timezone))
        except (ValueError, TypeError) as exc:
            bad("date", f"'{meta['date']}' is not a real date ({exc})",
                "write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2024-03-13 10:30")
    lang = meta.get("lang")
    if lang not in (None, ""):
        lang = str(lang).strip().lower()
        meta["lang"] = lang
        if lang not in languages:
            bad("lang", f"unknown language '{lang}'",
                f"use one of {', '.join(languages)} (languages are set in DIGEST_LANGUAGES)")
    for fld in ("modified", "translated"):
        if meta.get(fld) not in (None, ""):
            try:
                meta[fld] = parse_date(meta[fld], ZoneInfo(timezone))
            except (ValueError, TypeError):
                bad(fld, f"'{meta[fld]}' is not a real date", "write it as YYYY-MM-DD HH:MM")
    # slug: from the field, else from the file name (minus a .fr/.en suffix)
    if meta.get("slug") not in (None, ""):
        raw_slug = str(meta["slug"]).strip()
        if raw_slug.startswith(("/", "\\")) or ".." in raw_slug or "/" in raw_slug or "\\" in raw_slug:
            bad("slug", f"'{raw_slug}' would leave the article's folder",
                f"use a plain slug such as '{slugify(raw_slug) or 'my-post'}'")
        elif slugify(raw_slug) != raw_slug:
            bad("slug", f"'{raw_slug}' is not a URL slug (lowercase letters, digits, hyphens)",
                f"use '{slugify(raw_slug) or 'my-post'}'")
        meta["slug"] = raw_slug
    else:
        stem = re.sub(r"\.[^./]+$", "", path.replace("\\", "/").rsplit("/", 1)[-1])
        stem = LANG_SUFFIX.sub("", stem)
        meta["slug"] = slugify(stem) or slugify(title or "") or "post"
    for fld in LIST_FIELDS:
        if fld in meta:
            values = as_list(meta[fld])
            if values is None:
                bad(fld, "must be a list of ids", f"write {fld}: [id-one, id-two]")
                continue
            meta[fld] = values
            registry = (known_ids or {}).get(ID_FIELDS[fld])
            if registry is not None:
                for value in values:
                    if value not in registry:
                        guess = nearest(value, registry)
                        hint = f"did you mean '{guess}'? " if guess else ""
                        bad(fld, f"unknown id '{value}'",
                            f"{hint}ids are listed in content/data/"
                            f"{'topics' if ID_FIELDS[fld] == 'tags' else 'companies'}.yaml")
    if meta.get("source") not in (None, ""):
        url = safe_http_url(meta["source"])
        if url is None:
            bad("source", f"'{str(meta['source'])[:80]}' is not an http(s) address",
                "paste the original article's address, starting with https://")
        meta["source"] = url
    for fld in ("summary", "source_name", "author"):
        if meta.get(fld) is not None and not isinstance(meta[fld], str):
            meta[fld] = str(meta[fld])
    status = str(meta.get("status") or "published").strip().lower()
    if status not in STATUSES:
        bad("status", f"unknown status '{status}'", f"use one of {', '.join(STATUSES)}")
    meta["status"] = status
    for fld in ("clean", "reviewed"):
        if fld in meta and not isinstance(meta[fld], bool):
            bad(fld, f"must be true or false, not '{meta[fld]}'", f"write {fld}: true or {fld}: false")
    if problems:
        raise ContentError(problems)
    unknown = [k for k in meta if k not in REQUIRED and k not in OPTIONAL]
    doc = Document(path, meta, body, body_line)
    for key in unknown:
        doc.problems.append(Problem(path, "is not part of the front matter contract and is ignored",
                                    field=key, line=key_line(header, key),
                                    fix=f"remove it or rename it to one of: {', '.join(OPTIONAL[:7])}"))
    return doc


def translator(meta: dict) -> str | None:
    """Who made a translation-memory post (its `provider`, "machine" when unsaid); None for a post
    an editor wrote. A file is a translation when it says what it translates."""
    if not meta.get("translation_of"):
        return None
    return meta.get("provider") or "machine"


def dump(meta: dict, body: str) -> str:
    """Write a post back as Markdown with front matter (used by import, new and the memory)."""
    out = {}
    for key, value in meta.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, datetime):
            value = value.strftime("%Y-%m-%d %H:%M")
        out[key] = value
    header = yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=1000).strip()
    return f"---\n{header}\n---\n\n{body.strip()}\n"
