"""A realistic synthetic corpus: French and English posts with page noise, company and topic
mentions, and a filled translation memory; plus the same posts for vanilla Pelican and for Hugo.

Every sentence is assembled from our own phrase bank, seeded, so two runs give the same corpus.
"""

from __future__ import annotations

import random
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

COMPANIES = {
    "fr": ["OpenAI", "xAI", "Anthropic", "Google DeepMind", "Meta", "Microsoft", "Mistral AI",
           "Nvidia", "Apple", "Amazon", "Hugging Face", "DeepSeek"],
    "en": ["OpenAI", "xAI", "Anthropic", "Google DeepMind", "Meta", "Microsoft", "Mistral AI",
           "Nvidia", "Apple", "Amazon", "Hugging Face", "DeepSeek"],
}
SUBJECTS = {
    "fr": ["le nouveau modèle", "la levée de fonds", "le partenariat", "la puce", "le procès",
           "le règlement européen", "l’institut de sécurité", "la publication des poids"],
    "en": ["the new model", "the funding round", "the partnership", "the chip", "the lawsuit",
           "the European regulation", "the safety institute", "the open weights release"],
}
# A post is about one subject: most of its sentences are news filler or about that subject, one in
# ten about something else. (An earlier bank drew every sentence from every subject, which gave each
# post 6 to 7 of the 9 topics; the sample posts an editor wrote have 1 or 2.)
ABOUT = {
    "fr": [
        ["{c} présente le nouveau modèle, disponible dès aujourd’hui pour les développeurs.",
         "La nouvelle version de {s} sera lancée en Europe avant la fin de l’année."],
        ["{c} a levé plusieurs centaines de millions d’euros lors d’une levée de fonds.",
         "Ce tour de table valorise {c} à plusieurs milliards, selon les investisseurs."],
        ["{c} annonce un partenariat pluriannuel avec un grand groupe industriel.",
         "Le rachat d’une jeune pousse par {c} complète ce partenariat."],
        ["Les puces et les GPU restent le principal goulot d’étranglement pour {c}.",
         "{c} commande des processeurs à un fabricant de semi-conducteurs taïwanais."],
        ["Une plainte a été déposée devant un tribunal fédéral contre {c}.",
         "Le procès intenté à {c} pourrait durer plusieurs années."],
        ["Le règlement européen impose à {c} de nouvelles obligations de transparence.",
         "Les autorités de régulation examinent {s} et ses effets sur la concurrence."],
        ["L’institut de sécurité de l’IA a publié ses premières évaluations de {s}.",
         "{c} renforce les garde-fous et l’alignement de ses systèmes."],
        ["{c} publie les poids du modèle sous licence open source Apache 2.0.",
         "Les poids ouverts de {s} sont librement téléchargeables."],
    ],
    "en": [
        ["{c} unveiled the new model, available today to developers.",
         "The new version of {s} should launch in Europe before the end of the year."],
        ["{c} raised several hundred million dollars in a funding round.",
         "The round puts the valuation of {c} at several billion, investors said."],
        ["{c} announced a multi-year partnership with a large industrial group.",
         "{c} also acquired a start-up to support the partnership."],
        ["Chips and GPUs remain the main bottleneck for {c}.",
         "{c} is ordering processors from a Taiwanese semiconductor maker."],
        ["A lawsuit was filed in federal court against {c}.",
         "The case against {c} could take years in court."],
        ["The European regulation sets new transparency obligations for {c}.",
         "Regulators are reviewing {s} and its effect on competition."],
        ["The AI Safety Institute published its first evaluations of {s}.",
         "{c} is strengthening the guardrails and alignment of its systems."],
        ["{c} releases the model weights under the open-source Apache 2.0 license.",
         "The open weights of {s} can be downloaded freely."],
    ],
}
FILLER = {
    "fr": ["Le sujet a suscité de nombreuses réactions sur les réseaux sociaux.",
           "{c} n’a pas souhaité commenter ces informations.",
           "Plusieurs concurrents de {c} suivent le dossier de près.",
           "Le calendrier précis reste inconnu à ce stade.",
           "Selon nos informations, les discussions durent depuis plusieurs mois.",
           "Le dirigeant de {c} s’est exprimé mardi devant la presse.",
           "Le marché attend désormais les prochaines annonces de {c}.",
           "Ces chiffres n’ont pas été confirmés de manière indépendante."],
    "en": ["The news drew many reactions on social media.",
           "{c} declined to comment on the report.",
           "Several rivals of {c} are following the matter closely.",
           "The exact timing is still unknown.",
           "According to people familiar with the matter, talks have gone on for months.",
           "The chief executive of {c} spoke to reporters on Tuesday.",
           "The market now awaits the next announcements from {c}.",
           "These figures could not be independently confirmed."],
}
NOISE = {
    "fr": ["Partager sur Facebook", "suivez nous sur google publisher", "Publicité", "12 commentaires",
           "Lire aussi : les annonces de la semaine"],
    "en": ["Share on X", "Advertisement", "Follow us on Google News", "Read more: this week in AI",
           "8 comments"],
}
# What a vanilla site would have as tags for the same post: the company and the subject's topic.
COMPANY_IDS = dict(zip(COMPANIES["en"], ["openai", "xai", "anthropic", "google", "meta", "microsoft",
                                         "mistral-ai", "nvidia", "apple", "amazon", "hugging-face",
                                         "deepseek"]))
SUBJECT_TOPICS = ["model-release", "funding", "deals", "hardware", "legal", "regulation", "safety",
                  "open-source"]
HEADINGS = {"fr": ["Ce qui change", "Les réactions", "Et ensuite ?"],
            "en": ["What changes", "Reactions", "What comes next"]}
TITLES = {
    "fr": "{c} : {s} au cœur d’une semaine chargée ({n})",
    "en": "{c}: {s} at the heart of a busy week ({n})",
}


def _sentence(rng, lang, company, about):
    """One sentence of a post about subject number `about`: its subject, filler, or now and then
    another subject."""
    roll = rng.random()
    if roll < 0.35:
        bank = ABOUT[lang][about]
    elif roll < 0.9:
        bank = FILLER[lang]
    else:
        bank = rng.choice(ABOUT[lang])
    return rng.choice(bank).format(c=company, s=SUBJECTS[lang][about])


def _paragraph(rng, lang, company, about):
    return " ".join(_sentence(rng, lang, company, about) for _ in range(rng.randint(3, 6)))


def make_post(rng, n, lang, when):
    company = rng.choice(COMPANIES[lang])
    about = rng.randrange(len(SUBJECTS[lang]))
    subject = SUBJECTS[lang][about]
    title = TITLES[lang].format(c=company, s=subject, n=n)
    parts = []
    if n % 4 == 0:
        parts.append(rng.choice(NOISE[lang]))
    for i in range(rng.randint(4, 6)):
        if i == 2:
            parts.append("## " + rng.choice(HEADINGS[lang]))
        parts.append(_paragraph(rng, lang, company, about))
    parts.append("- " + _sentence(rng, lang, company, about) + "\n- "
                 + _sentence(rng, lang, rng.choice(COMPANIES[lang]), about))
    parts.append(f"[{company}](https://www.example.com/{lang}/{n}?utm_source=feed)")
    if n % 3 == 0:
        parts.append(rng.choice(NOISE[lang]))
    slug = f"bench-{n:05d}"
    meta = {"title": title, "date": when, "lang": lang, "slug": slug,
            "source": f"https://www.example.com/{lang}/{n}", "source_name": "Example News",
            # not front matter: what vanilla Pelican gets as tags for the same post
            "_tags": [COMPANY_IDS[company], SUBJECT_TOPICS[about]]}
    return slug, meta, "\n\n".join(parts) + "\n"


def _front(meta):
    meta = dict(meta)
    if isinstance(meta.get("date"), datetime):
        meta["date"] = meta["date"].strftime("%Y-%m-%d %H:%M")
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"


def generate(target: Path, n_posts: int, seed: int = 2024):
    """Write target/site (our content), target/vanilla and target/hugo. Returns the source paths."""
    rng = random.Random(seed)
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    site = target / "site" / "content"
    shutil.copytree(ROOT / "content" / "data", site / "data")
    shutil.copytree(ROOT / "content" / "pages", site / "pages")
    vanilla = target / "vanilla" / "content"
    hugo = target / "hugo"
    start = datetime(2022, 1, 3, 8, 0)
    sources = []
    for n in range(n_posts):
        lang = "fr" if n % 2 == 0 else "en"
        when = start + timedelta(hours=7 * n)
        slug, meta, body = make_post(rng, n, lang, when)
        tags = meta.pop("_tags")
        path = site / "posts" / f"{when:%Y}" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_front(meta) + body, encoding="utf-8")
        sources.append(path)
        vpath = vanilla / f"{slug}.md"
        vpath.parent.mkdir(parents=True, exist_ok=True)
        vpath.write_text(f"Title: {meta['title']}\nDate: {when:%Y-%m-%d %H:%M}\nSlug: {slug}\n"
                         f"Lang: {lang}\nTags: {', '.join(tags)}\n\n{body}", encoding="utf-8")
    _fill_memory(site, sources, rng)
    _write_vanilla_conf(target / "vanilla")
    _write_hugo(hugo, site)
    return sources


def _fill_memory(site, sources, rng):
    """One memory file per post, in the other language, with the fingerprint the build expects,
    so that a build finds every translation up to date (as in a newsroom's steady state)."""
    from pelican.settings import read_settings

    from digest.reader import DigestMarkdownReader
    from translation.memory import memory_meta, memory_path, render_memory, source_fingerprint

    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(site)})
    import cleaning  # the fingerprint is taken on the text as a build reads it: cleaned

    cleaning.register()
    reader = DigestMarkdownReader(settings)
    for path in sources:
        _html, meta = reader.read(str(path))
        d = meta["digest"]
        other = "en" if d["lang"] == "fr" else "fr"
        _slug, _meta, body = make_post(rng, int(d["slug"].split("-")[1]), other, d["date"])
        body = "\n\n".join(line for line in body.split("\n\n")
                           if not any(line.startswith(noise) for noise in NOISE[other]))
        title = f"[{other}] {d['title']}"
        target = memory_path(site, other, d["date"], d["slug"])
        fields = memory_meta(d, title=title, summary=d.get("summary") or "", lang=other,
                             slug=d["slug"], when=d["date"],
                             translation_of=str(path.relative_to(site)), source_lang=d["lang"],
                             source_hash=source_fingerprint(d["title"], d.get("summary") or "", d["body"]),
                             provider="libre", translated=datetime(2024, 1, 1, 12, 0))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_memory(fields, body), encoding="utf-8")


def _write_vanilla_conf(folder):
    (folder / "pelicanconf.py").write_text(
        "SITENAME = 'Vanilla'\nPATH = 'content'\nOUTPUT_PATH = 'output'\nTIMEZONE = 'Europe/Paris'\n"
        "DEFAULT_LANG = 'fr'\nPLUGINS = []\nDEFAULT_PAGINATION = 10\nSITEURL = ''\n"
        "ARTICLE_URL = '{date:%Y}/{date:%m}/{slug}/'\n"
        "ARTICLE_SAVE_AS = '{date:%Y}/{date:%m}/{slug}/index.html'\n", encoding="utf-8")


def _write_hugo(hugo, site):
    """The same posts in both languages (sources and memory) for Hugo's multilingual mode."""
    for lang in ("fr", "en"):
        for folder in ("posts", f"translations/{lang}"):
            for path in sorted((site / folder).rglob("*.md")):
                text = path.read_text(encoding="utf-8")
                header, body = text.split("\n---\n", 1)
                data = yaml.safe_load(header.lstrip("-\n"))
                if data.get("lang") != lang:
                    continue
                out = hugo / "content" / lang / "posts" / f"{data['slug']}.md"
                out.parent.mkdir(parents=True, exist_ok=True)
                hugo_meta = {"title": data["title"], "date": str(data["date"]).replace(" ", "T") + ":00",
                             "slug": data["slug"], "translationKey": data["slug"],
                             "tags": data.get("tags") or []}
                out.write_text("---\n" + yaml.safe_dump(hugo_meta, allow_unicode=True) + "---\n" + body,
                               encoding="utf-8")
    (hugo / "config.yaml").write_text(
        "baseURL: http://localhost/\ndefaultContentLanguage: fr\ndefaultContentLanguageInSubdir: false\n"
        "paginate: 10\nlanguages:\n  fr:\n    weight: 1\n    contentDir: content/fr\n"
        "  en:\n    weight: 2\n    contentDir: content/en\n"
        "permalinks:\n  posts: /:year/:month/:slug/\n", encoding="utf-8")
    layouts = hugo / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "baseof.html").write_text(
        '<!doctype html><html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8">'
        "<title>{{ .Title }}</title>{{ range .AllTranslations }}"
        '<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">{{ end }}</head>'
        "<body>{{ block \"main\" . }}{{ end }}</body></html>\n", encoding="utf-8")
    (layouts / "single.html").write_text(
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}'
        "</time>{{ .Content }}</article>{{ with .PrevInSection }}<a href=\"{{ .Permalink }}\">"
        "{{ .Title }}</a>{{ end }}{{ end }}\n", encoding="utf-8")
    (layouts / "list.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range (.Paginate .Pages).Pages }}'
        '<article><h2><a href="{{ .Permalink }}">{{ .Title }}</a></h2>{{ .Summary }}</article>'
        "{{ end }}{{ end }}\n", encoding="utf-8")
