"""Capitalised names that recur across posts and are not in the registry: companies to consider adding.

A heuristic for the build report, not a detector: it proposes, an editor decides.
"""

from __future__ import annotations

import re
from collections import Counter

from .text import SENTENCE_END_RE

TOKEN_RE = re.compile(r"[^\W\d_][\w]*(?:[.&\-][^\W_][\w]*)*")


# A word that may be capitalised: it starts with anything but an ASCII or Latin-1 lowercase letter
# (so with every capital: _names then asks str.isupper()), that character is a word starter, and
# it does not follow a letter (the word then began earlier: "iPhone"). What follows is TOKEN_RE's
# word. The regex starts with a character class: the engine skips the lowercase letters, most of a
# text, without trying a match at each.
CAPITAL_RE = re.compile(r"[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\U0010ffff](?<=[^\W\d_])(?<![^\W\d_].)"
                        r"[\w]*(?:[.&\-][^\W_][\w]*)*")
_LETTER_RE = re.compile(r"[^\W\d_]")
# A word of four letters or more that starts in lowercase, where a word must start (not after a
# letter, a digit, "_", ".", "&" or "-"): a sentence with one is no Title Case headline.
_LONG_LOWERCASE_RE = re.compile(r"(?<![\w.&\-])[a-z\u00df-\u00f6\u00f8-\u00ff]\w{3}")
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
    """[(name, whole run, opens its sentence alone)] for each run of capitalised words, in text order.

    What _sentence_names() gives sentence by sentence, without reading every word in Python: one
    regex jumps from capital to capital (CAPITAL_RE), and only the sentences where that shortcut
    could be wrong are read word by word (see _sentence_capitals)."""
    capitals = [(m.start(), m.end(), m.group()) for m in CAPITAL_RE.finditer(text)]
    if not capitals:
        return []  # no capitalised word, no name
    bounds = [m.end() for m in SENTENCE_END_RE.finditer(text)]
    bounds.append(len(text))
    names = []
    first, count, index = 0, len(capitals), 0
    while first < count:
        position = capitals[first][0]
        while bounds[index] <= position:
            index += 1
        end = bounds[index]
        last = first + 1
        while last < count and capitals[last][0] < end:
            last += 1
        _sentence_capitals(text, bounds[index - 1] if index else 0, end, capitals[first:last], names)
        first = last
    return names


def _sentence_capitals(text, start, end, capitals, names):
    """Add _sentence_names(text[start:end]) to `names`, from the sentence's CAPITAL_RE matches.

    A match is a word of its own unless a word goes on right before it: after a letter it is the tail
    of a lowercase word ("iPhone"), which the regex already skips; after a digit, "_", ".", "&" or "-"
    it may or may not be ("7B", "U.S", "x-AI"), and the sentence is read word by word instead."""
    words = []  # (start, end, word) of the capitalised words, None for a word that is not
    long_capitals = 0
    for position, stop, word in capitals:
        if position:
            before = text[position - 1]
            if before in ".&-_" or before.isdecimal():
                names.extend(_sentence_names(text[start:end]))
                return
        # A word with a digit is a model or a version (R1, GPT-4o), not a company name.
        if word[0].isupper() and (word.isalpha() or not any(c.isdigit() for c in word)):
            if len(word) > 3:
                long_capitals += 1
            words.append((position, stop, word))
        else:
            words.append(None)
    if long_capitals >= 3 and _headline(text, start, end):
        return
    words.append(None)  # ends the last run
    run = []
    for word in words:
        if word is not None and (not run or (word[0] == run[-1][1] + 1 and text[word[0] - 1] in " \u00a0")):
            run.append(word)
            continue
        if len(run) == 1:  # most runs: one word, a name unless a stopword
            position, _, name = run[0]
            if not (len(name) == 1 or name.lower() in STOPWORDS):
                opening = run[0] is words[0] and _LETTER_RE.search(text, start, position) is None
                names.append((name, name, opening))
        elif run:
            _add_run(text, start, run, run[0] is words[0], names)
        run = [word] if word is not None else []


def _add_run(text, start, run, first_capital, names):
    """_run_name() for a run of (start, end, word); `first_capital`: its first word is the sentence's
    first capitalised word (then it opens the sentence if no lowercase word comes before it)."""
    words = [word for _, _, word in run]
    first, last = 0, len(words)
    # Trim function words and openers at the edges, but keep an acronym inside a longer name.
    while first < last and _is_stopword(words[first]) and not (last - first > 1 and words[first].isupper()):
        first += 1
    while first < last and _is_stopword(words[last - 1]) and not (
            last - first > 1 and words[last - 1].isupper()):
        last -= 1
    if first < last:
        whole = " ".join(words)
        name = whole if first == 0 and last == len(words) else " ".join(words[first:last])
        if len(name) >= 2:
            opening = (last == 1 and first_capital and _LETTER_RE.search(text, start, run[0][0]) is None)
            names.append((name, whole, opening))


def _headline(text, start, end):
    """A Title Case headline: at least three words of four letters or more, all capitalised."""
    if _LONG_LOWERCASE_RE.search(text, start, end):
        return False  # the usual sentence: a long lowercase word
    content = [_capitalised(word) for word in TOKEN_RE.findall(text, start, end) if len(word) > 3]
    return len(content) >= 3 and all(content)


def _capitalised(word):
    return word[0].isupper() and not any(c.isdigit() for c in word)


def _sentence_names(sentence):
    """The names of one sentence, word by word (see _names for the same, faster)."""
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
