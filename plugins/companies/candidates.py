"""Capitalised names that recur across posts and are not in the registry: companies to consider adding.

A heuristic for the build report, not a detector: it proposes, an editor decides.
"""

from __future__ import annotations

import re
from collections import Counter

from .text import SENTENCE_END_RE

TOKEN_RE = re.compile(r"[^\W\d_][\w]*(?:[.&\-][^\W_][\w]*)*")
# Capitalised words that are not names: function words and frequent sentence openers (FR/EN), months,
# days, titles, generic tech acronyms, places that recur in AI news. Editors add their own in
# companies.yaml (candidates.ignore).
STOPWORDS = frozenset("""
a à afin ai ainsi alors après au aucun aujourd auprès aussi autre aux avant avec c ça car ce ceci cela celle
celui cependant ces cet cette chaque chez ci comme comment d dans de depuis des dès donc dont du elle elles en
encore enfin entre et été être eux face fin grâce hier il ils j je jusqu l la là le les leur leurs lors lorsqu
lorsque m ma mais malgré me même mes moi mon n ne ni non nos notre nous on or ou où outre par parce parmi pas
pendant peu plus plusieurs pour pourquoi pourtant près puis qu quand que quel quelle quelles quels qui quoi
s sa sans se selon ses si sinon soit son sont sous suite sur t ta tandis tant te tel telle tes toi ton tous
tout toute toutes très tu un une vers via voici voilà vos votre vous y
about above according across after again against all also although among an and another any are around
as at be because been before being below between both but by can could did do does during each either
even every few first for from further had has have he her here hers him his how however i if in into is it
its just last later least less let like many may me meanwhile more most much must my new next no nor not
now of off on once one only or other our out over own per perhaps rather same several she should since so
some still such than that the their them then there these they this those though through thus to today
too under unlike until up upon us very was we were what when where whether which while who whom whose why
will with within without would yet you your yes
janvier février mars avril mai juin juillet août septembre octobre novembre décembre
january february march april may june july august september october november december
lundi mardi mercredi jeudi vendredi samedi dimanche
monday tuesday wednesday thursday friday saturday sunday
m mme mr mrs ms dr pr pdg ceo cto cfo directeur directrice président présidente president chief
ia ai api apis gpu gpus cpu cpus llm llms agi ml nlp saas cloud web internet app apps open source tech
ue eu usa us uk onu un
europe france chine china états unis états-unis united states english french anglais français paris
londres london bruxelles brussels washington
californie california silicon valley pékin beijing japon japan inde india allemagne germany
note update mise jour lire aussi read more source sources photo crédit credit
""".split())


def find_candidates(texts, known, min_posts=2):
    """[(name, mentions, posts)] for capitalised names in at least `min_posts` texts, most posts first.

    `known(name)` is true for names the registry already covers (or says to ignore)."""
    return aggregate_candidates([text_candidates(text, known) for text in texts], min_posts)


def text_candidates(text, known):
    """What one text adds to the candidates: {name: [mentions, met inside a sentence]}.

    The part of find_candidates that reads the text, so a build can keep it with the text's
    detection and read no text again. `mentions` counts the mentions not covered by `known`; a name
    known itself is left out (it never counts)."""
    found = {}
    verdicts = {}  # a name repeats in a text: ask `known` once
    for name, run, opening in _names(text):
        entry = found.get(name)
        if entry is None:
            if name not in verdicts:
                verdicts[name] = known(name)
            if verdicts[name]:
                continue
            entry = found[name] = [0, False]
        if not opening:
            entry[1] = True
        if run != name:
            if run not in verdicts:
                verdicts[run] = known(run)
            if verdicts[run]:
                continue
        entry[0] += 1
    return {name: entry for name, entry in found.items() if entry[0] or entry[1]}


def aggregate_candidates(per_text, min_posts=2):
    """find_candidates from the text_candidates() of every text (any iterable, read once)."""
    # One capitalised word opening a sentence may be any word; it counts only for a name also met
    # inside a sentence somewhere.
    inside, mentions, posts = set(), Counter(), Counter()
    for found in per_text:
        for name, (count, met_inside) in found.items():
            if met_inside:
                inside.add(name)
            if count:
                mentions[name] += count
                posts[name] += 1
    found = [(name, mentions[name], posts[name]) for name in mentions
             if name in inside and posts[name] >= min_posts]
    return sorted(found, key=lambda item: (-item[2], -item[1], item[0].lower()))


def _names(text):
    start = 0
    for end in [m.end() for m in SENTENCE_END_RE.finditer(text)] + [len(text)]:
        yield from _sentence_names(text[start:end])
        start = end


def _sentence_names(sentence):
    tokens = list(TOKEN_RE.finditer(sentence))
    if not tokens:
        return
    # A token with a digit is a model or a version (R1, GPT-4o), not a company name.
    capitalised = [t.group()[0].isupper() and not any(c.isdigit() for c in t.group()) for t in tokens]
    content = [c for t, c in zip(tokens, capitalised) if len(t.group()) > 3]
    if len(content) >= 3 and all(content):
        return  # a Title Case headline: every word is capitalised, none tells a name
    run = []
    for position, token in enumerate(tokens):
        joined = run and sentence[run[-1][1].end():token.start()] in (" ", "\u00a0")
        if capitalised[position] and (not run or joined):
            run.append((position, token))
            continue
        yield from _run_name(run)
        run = [(position, token)] if capitalised[position] else []
    yield from _run_name(run)


def _run_name(run):
    """(name, whole run, opens the sentence alone) for a run of capitalised words, edges trimmed."""
    whole = " ".join(token.group() for _, token in run)
    # Trim function words and openers at the edges, but keep an acronym inside a longer name:
    # "Stability AI", "AI Act".
    while run and _is_stopword(run[0][1].group()) and not (len(run) > 1 and run[0][1].group().isupper()):
        run = run[1:]
    while run and _is_stopword(run[-1][1].group()) and not (len(run) > 1 and run[-1][1].group().isupper()):
        run = run[:-1]
    if run:
        name = " ".join(token.group() for _, token in run)
        if len(name) >= 2:
            yield name, whole, len(run) == 1 and run[0][0] == 0


def _is_stopword(word):
    return word.lower() in STOPWORDS or len(word) == 1
