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

from .header import HeaderError, _Loader, parse_header, plain_header  # noqa: F401 (tests)
from .report import Problem
from .safetext import make_safe
from .slugs import slugify  # noqa: F401  (the one slug function; invoke new and import use it here)

REQUIRED = ("title", "date", "lang")
OPTIONAL = (
    "slug", "summary", "source", "source_name", "author", "tags", "companies",
    "exclude_tags", "exclude_companies", "clean", "status", "modified",
    # the story's picture (a file under content/images/), and whether it leads the home page
    "image", "image_alt", "image_credit", "featured",
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
TEXT_FIELDS = ("title", "summary", "source_name", "author", "image", "image_alt", "image_credit")


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


def utf16_name(raw: bytes) -> str | None:
    """"UTF-16" (with its byte order) when `raw` looks like UTF-16 text: a byte order mark, or
    every other byte a NUL as Latin text in UTF-16 has (what Windows' Notepad wrote as "Unicode")."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) and not raw.startswith(b"\xff\xfe\x00\x00"):
        return "UTF-16 " + ("little-endian" if raw[0] == 0xFF else "big-endian")
    sample = raw[:400]
    if len(sample) >= 8:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
            return "UTF-16 little-endian"
        if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
            return "UTF-16 big-endian"
    return None


def decode(raw: bytes, path: str) -> str:
    if not raw.strip():
        raise ContentError([Problem(path, "the file is empty",
                                    fix="start it with front matter: ---, title, date, lang, ---")])
    utf16 = utf16_name(raw)
    if utf16:
        raise ContentError([Problem(path, f"{utf16} text, not UTF-8", line=1,
                                    fix="save the file as UTF-8 (in most editors: Save as, "
                                        "Encoding: UTF-8)")])
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


def http_url_problem(value) -> str | None:
    """Why `value` is not an http(s) address the site can link to, or None. urllib's own reason
    when it cannot read it at all (`http://[::1/`: "Invalid IPv6 URL")."""
    if not isinstance(value, str):
        return "it is not text"
    url = value.strip()
    if any(ch in url for ch in "\x00\n\r\t<>\"' ") or any(ord(ch) < 32 for ch in url):
        return "it contains a space, a quote, < or > or a control character"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        return f"it cannot be read as an address ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return "it does not start with http:// or https://"
    if not parts.hostname:
        return "it has no host name"
    return None


def safe_http_url(value) -> str | None:
    return value.strip() if http_url_problem(value) is None else None


def nearest(value, choices):
    return closest(value, choices)


def load(raw: bytes, path: str, *, languages, timezone="UTC", known_ids=None) -> Document:
    """Parse and validate one file. Raises ContentError listing every problem found."""
    text = decode(raw, path)
    header, body, body_line = split(text, path)
    # YAML forbids tabs as whitespace; pasted front matter often has them.
    header = re.sub(r"^\t+", lambda m: "  " * len(m.group()), header, flags=re.M).replace("\t", " ")
    # Made safe where it is read (plugins/digest/safetext.py): in the header a line break in other
    # clothes becomes a space (a new line would start a new field), in the body a new line.
    header, header_found = make_safe(header, line_break=" ")
    body, body_found = make_safe(body)
    unsafe = unsafe_problems(path, header_found, 2, " ") + unsafe_problems(path, body_found, body_line)
    try:
        meta = parse_header(header)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else None
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContentError([Problem(path, f"the front matter is not valid YAML: {what}", line=line,
                                    fix=getattr(exc, "fix", None) or
                                    "check quotes and colons on that line; quote titles that "
                                    "contain ': '")]) from None
    except RecursionError:
        raise ContentError([Problem(path, "the front matter is nested too deeply to read", line=2,
                                    fix="write one 'field: value' per line")]) from None
    except (ValueError, OverflowError) as exc:  # a number of 5,000 digits: Python's int limit
        raise ContentError([Problem(path, f"the front matter holds a value YAML cannot read "
                                          f"({str(exc).split(';')[0]})", line=2,
                                    fix="quote long numbers: field: \"...\"")]) from None
    if not isinstance(meta, dict):
        raise ContentError([Problem(path, "the front matter is not a list of 'field: value' lines",
                                    line=2, fix="write one 'field: value' per line")])
    problems = []

    def bad(fld, message, fix):
        problems.append(Problem(path, message, field=fld, line=key_line(header, fld), fix=fix))

    meta = {str(k).strip().lower(): v for k, v in meta.items()}
    for key, value in meta.items():
        # Escapes in quoted YAML ("\\x0b", "\\ufffe") make what the text itself could not carry.
        safe, found = safe_value(value)
        if found:
            meta[key] = safe
            unsafe.extend(unsafe_problems(path, found, key_line(header, key) or 2, field=key))
    for fld in REQUIRED:
        if meta.get(fld) in (None, ""):
            problems.append(Problem(path, "is missing", field=fld, line=key_line(header, fld) or 2,
                                    fix=f"add a '{fld}:' line to the front matter"))
    for fld in TEXT_FIELDS:
        value = meta.get(fld)
        if isinstance(value, (list, dict)):
            bad(fld, "must be text, not a list or a mapping",
                f"quote the value: {fld}: \"...\" (brackets and braces mean a list or a mapping in YAML)")
            meta[fld] = None if fld != "title" else ""
        elif value is not None and not isinstance(value, str):
            # `title: yes` is the boolean true in YAML, `title: 2024` a number, and was published
            # as "True" or "2024".
            shown = describe_value(value)
            bad(fld, f"must be text, not {shown}", f'quote the value: {fld}: "..."')
            meta[fld] = None if fld != "title" else ""
    title = meta.get("title")
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
        problem = http_url_problem(meta["source"])
        if problem is not None:
            bad("source", f"'{str(meta['source'])[:80]}' is not an http(s) address: {problem}",
                "paste the original article's address, starting with https://")
        meta["source"] = safe_http_url(meta["source"])
    if isinstance(meta.get("image"), str):  # checked where it is resized (images.py): a bad
        meta["image"] = meta["image"].strip()  # picture is an error there, the post still published
    status = str(meta.get("status") or "published").strip().lower()
    if status not in STATUSES:
        bad("status", f"unknown status '{status}'", f"use one of {', '.join(STATUSES)}")
    meta["status"] = status
    for fld in ("clean", "reviewed", "featured"):
        if fld in meta and not isinstance(meta[fld], bool):
            bad(fld, f"must be true or false, not '{meta[fld]}'", f"write {fld}: true or {fld}: false")
    if problems:
        raise ContentError(problems)
    unknown = [k for k in meta if k not in REQUIRED and k not in OPTIONAL]
    doc = Document(path, meta, body, body_line, unsafe)
    for key in unknown:
        doc.problems.append(Problem(path, "is not part of the front matter contract and is ignored",
                                    field=key, line=key_line(header, key),
                                    fix=f"remove it or rename it to one of: {', '.join(OPTIONAL[:7])}"))
    return doc


def describe_value(value) -> str:
    """What YAML made of a value that should have been text, in an editor's words."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes, no, on, off, true, false as a yes-or-no value)"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return f"a {type(value).__name__} value"


MAX_UNSAFE_LINES = 10  # per file and part: past that, one line says how many more


def unsafe_problems(path, found, first_line, line_break="\n", field=None):
    """Warnings for what make_safe changed: one per line (file lines, `first_line` being the
    text's line 1), at most MAX_UNSAFE_LINES, then one that says how many lines more."""
    by_line: dict[int, list] = {}
    for item in found:
        by_line.setdefault(item.line + first_line - 1, []).append(item)
    problems = []
    fix = ("nothing to do, the text was repaired (text pasted from office software or a terminal "
           "carries such characters); retype the line if a character is missing")
    for n, (line, items) in enumerate(sorted(by_line.items())):
        if n == MAX_UNSAFE_LINES:
            problems.append(Problem(path, f"and {len(by_line) - n} more line(s) with characters no "
                                    "page can carry", field=field, line=line, fix=fix))
            break
        counts: dict[str, list] = {}
        for item in items:
            counts.setdefault(item.describe(), []).append(item)
        parts = []
        for what, same in counts.items():
            done = ("became a space" if line_break == " " else "became a line break") \
                if same[0].replaced_by_newline else "removed"
            parts.append(f"{what}{f' x{len(same)}' if len(same) > 1 else ''} {done}")
        problems.append(Problem(path, "characters no page can carry: " + ", ".join(parts),
                                field=field, line=line, fix=fix))
    return problems


def safe_value(value):
    """(value with make_safe applied to every string in it, what was changed)."""
    if isinstance(value, str):
        return make_safe(value)
    if isinstance(value, list):
        found, out = [], []
        for item in value:
            safe, more = safe_value(item)
            out.append(safe)
            found.extend(more)
        return (out, tuple(found)) if found else (value, ())
    if isinstance(value, dict):
        found, out = [], {}
        for key, item in value.items():
            safe, more = safe_value(item)
            out[key] = safe
            found.extend(more)
        return (out, tuple(found)) if found else (value, ())
    return value, ()


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
