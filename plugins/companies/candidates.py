"""Capitalised names that recur across posts and are not in the registry: companies to consider adding.

A heuristic for the build report, not a detector: it proposes, an editor decides.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

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
    seen = []  # (text index, name, whole run, opens a sentence)
    for index, text in enumerate(texts):
        seen.extend((index, *found) for found in _names(text))
    # One capitalised word opening a sentence may be any word; it counts only for a name also met
    # inside a sentence somewhere.
    inside = {name for _, name, _, opening in seen if not opening}
    mentions, posts = Counter(), defaultdict(set)
    for index, name, run, opening in seen:
        if name in inside and not (known(name) or known(run)):
            mentions[name] += 1
            posts[name].add(index)
    found = [(name, mentions[name], len(posts[name])) for name in mentions if len(posts[name]) >= min_posts]
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
