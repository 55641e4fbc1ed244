"""Reading names as people type them: labels, brands, everyday words, typos.

One resolver for medications, other intake, conditions and `learn`. A label such
as "Oxycodone HCl 10 mg ER tablet" or "Gabapentin 300 mg" is read in steps:

1. the whole text, with case, punctuation and spacing ignored;
2. every known name, brand or everyday word found inside the text (the longest
   wins where they overlap); two or more found together resolve to the
   combination product that has exactly those parts, or else to all of them;
3. the text without dose forms and release words ("patch", "film", "ER"), then
   also without strengths and pack sizes ("300 mg", "10/325", "#3", "x30"), then
   also without salts ("HCl", "sulfate", "sodium"), then in the singular;
4. failing that, the closest spelling ("zolpidm" -> zolpidem), said as such.

Step 4 never answers "unknown" when a close spelling exists: for a safety check a
false alarm costs a sentence, a missed opioid can cost a life.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from datetime import date

    # Only for annotations (facts imports this module at run time).
    from kratom_journal.domain.facts import SubstanceLike  # noqa: TC004
    from kratom_journal.domain.findings import SourceLike


class Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words on a label that say how a medicine is made or taken, not what it is.
FORM_WORDS = _words(
    """
    tab tabs tablet tablets caplet caplets cap caps capsule capsules pill pills
    patch patches transdermal system film films strip strips buccal sublingual
    lozenge lozenges troche spray nasal inhaler injection injectable inj vial
    liquid solution oral suspension syrup elixir drops drop gel cream ointment
    suppository suppositories powder granules sachet chewable dispersible
    effervescent soluble orally disintegrating odt er xr sr cr ir la xl dr ec
    mr cd ld sa ta extended delayed modified sustained controlled immediate
    release acting long short retard depot generic brand name hour hours
    """
)
# Salts and esters: "oxycodone hydrochloride" is oxycodone.
SALT_WORDS = _words(
    """
    hcl hydrochloride dihydrochloride hbr hydrobromide sulfate sulphate
    bisulfate bitartrate tartrate sodium potassium calcium magnesium maleate
    citrate dihydrogen phosphate besylate besilate mesylate mesilate succinate
    fumarate acetate malate lactate gluconate bromide chloride napsylate
    pamoate tosylate xinafoate hyclate monohydrate trihydrate anhydrous
    """
)
# Dose units and pack words that come with a strength ("300 mg", "30 count").
UNIT_WORDS = _words(
    """
    mg mcg ug µg g gram grams milligram milligrams microgram micrograms ml
    millilitre milliliter iu unit units mmol meq h hr hrs percent pct count ct
    pack qty x per day daily bid tid qid qd qhs prn am pm nightly % #
    """
)
# Everyday words that name a substance only when they are all that was typed:
# "shots" is alcohol, but "flu shot" and "espresso shot" are not; "pot" is
# cannabis, "pot of tea" is not.
ALONE_ONLY = frozenset({"shot", "shots", "pot", "grass", "herb", "drink", "drinks"})
# Words between names on a label: "oxycodone and acetaminophen".
JOINING_WORDS = frozenset({"and", "with", "plus", "&", "+", "of", "for", "the"})
_NUMBER = re.compile(r"^[#x×]?\d+(?:[.,]\d+)?(?:[a-zµ%/]+\d*)*$")
_PUNCTUATION = re.compile(r"[^\w#%/.µ]+")
# Spellings that differ only in British and American usage.
_VARIANTS = (("apnoea", "apnea"), ("oedema", "edema"), ("anaemia", "anemia"))
CLOSE_CUTOFF = 0.8
# Stricter for a stray word beside a known name: "glass" is not "grass".
LEFTOVER_CUTOFF = 0.85
MIN_CLOSE_LENGTH = 5


def tokens(text: str) -> list[str]:
    """Lower-case words, with punctuation and slashes as separators.

    "7-OH" -> ["7", "oh"]; "10/325" -> ["10/325"]; "Co-Codamol 30/500" ->
    ["co", "codamol", "30/500"].
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    for british, american in _VARIANTS:
        folded = folded.replace(british, american)
    words: list[str] = []
    for word in _PUNCTUATION.split(folded.replace("’", "'").replace("'", "")):
        word = word.strip("./")
        if not word:
            continue
        # A slash between names ("oxycodone/apap") separates; between numbers
        # ("10/325") it is one strength.
        if "/" in word and not _NUMBER.match(word):
            words.extend(part.strip(".") for part in word.split("/") if part.strip("."))
        else:
            words.append(word)
    return words


def key(text: str) -> str:
    """The form names are compared in: case, punctuation and spacing ignored."""
    return " ".join(tokens(text))


def _is_strength(word: str) -> bool:
    return word in UNIT_WORDS or bool(_NUMBER.match(word))


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def cleanings(text: str) -> list[str]:
    """The text as a list of ever-plainer keys: as typed, without forms, without
    strengths, without salts, and in the singular ("2 beers" -> "beer")."""
    words = tokens(text)
    steps = [words]
    steps.append([w for w in steps[-1] if w not in FORM_WORDS])
    steps.append([w for w in steps[-1] if not _is_strength(w)])
    steps.append([w for w in steps[-1] if w not in SALT_WORDS])
    steps.append([_singular(w) for w in steps[-1]])
    keys: list[str] = []
    for step in steps:
        joined = " ".join(step)
        if joined and joined not in keys:
            keys.append(joined)
    return keys


@dataclass(frozen=True)
class NameIndex:
    """Every term (name, id, brand, misspelling, everyday word) -> entry ids."""

    terms: dict[str, tuple[str, ...]]
    longest: int  # words in the longest term
    # Terms by length: a spelling can be close only to terms of a similar length,
    # so `close` compares with those alone (the same answer, a fraction of the work).
    by_length: dict[int, tuple[str, ...]]

    @classmethod
    def build(cls, entries: Iterable[tuple[str, Iterable[str]]]) -> NameIndex:
        terms: dict[str, list[str]] = {}
        for entry_id, names in entries:
            for name in names:
                term = key(name)
                if term and entry_id not in terms.setdefault(term, []):
                    terms[term].append(entry_id)
                singular = " ".join(_singular(w) for w in term.split())
                if singular and entry_id not in terms.setdefault(singular, []):
                    terms[singular].append(entry_id)
        longest = max((len(t.split()) for t in terms), default=1)
        by_length: dict[int, list[str]] = {}
        for term in terms:
            by_length.setdefault(len(term), []).append(term)
        return cls(
            {t: tuple(ids) for t, ids in terms.items()},
            longest,
            {size: tuple(group) for size, group in by_length.items()},
        )

    def _near_in_length(self, query: str, cutoff: float) -> list[str]:
        """Terms whose length allows a ratio of `cutoff`: difflib's own first test
        (real_quick_ratio, 2 * shorter / total), applied by length group."""
        size = len(query)
        return [
            term
            for length, group in self.by_length.items()
            if 2 * min(size, length) >= cutoff * (size + length)
            for term in group
        ]

    def exact(self, text: str) -> tuple[tuple[str, ...], bool]:
        """The ids the text names, and whether it names them as typed (rather
        than once forms, strengths or salts are set aside)."""
        for step, cleaned in enumerate(cleanings(text)):
            found = self.terms.get(cleaned)
            if found:
                return found, step == 0
        return (), False

    def inside(self, text: str) -> tuple[list[str], list[str]]:
        """Ids of the terms found inside the text (longest first, without
        overlap), and the words left over that no term covered."""
        found: list[str] = []
        left: list[str] = []
        plain = cleanings(text)
        for cleaned in dict.fromkeys(plain[:1] + plain[-1:]):
            words = cleaned.split()
            taken = [False] * len(words)
            for size in range(min(self.longest, len(words)), 0, -1):
                for start in range(len(words) - size + 1):
                    if any(taken[start : start + size]):
                        continue
                    term = " ".join(words[start : start + size])
                    ids = self.terms.get(term)
                    if not ids or term in ALONE_ONLY:
                        continue
                    taken[start : start + size] = [True] * size
                    found.extend(i for i in ids if i not in found)
            left = [w for w, t in zip(words, taken, strict=True) if not t]
        return found, left

    def close(self, text: str, *, cutoff: float = CLOSE_CUTOFF) -> list[str]:
        """Ids whose terms are the closest spellings of the text or of one of its
        words; the best-scoring ones only (ties all returned)."""
        plain = cleanings(text)
        cleaned = plain[-1] if plain else ""
        queries = [cleaned, *(w for w in cleaned.split() if len(w) >= MIN_CLOSE_LENGTH)]
        best = 0.0
        found: list[str] = []
        for query in dict.fromkeys(queries):
            if len(query) < MIN_CLOSE_LENGTH:
                continue
            for term in difflib.get_close_matches(
                query, self._near_in_length(query, cutoff), n=5, cutoff=cutoff
            ):
                if term in ALONE_ONLY or not _same_words(query, term):
                    continue
                score = difflib.SequenceMatcher(None, query, term).ratio()
                if score > best + 1e-9:
                    best, found = score, list(self.terms[term])
                elif abs(score - best) <= 1e-9:
                    found.extend(i for i in self.terms[term] if i not in found)
        return found


def _same_words(query: str, term: str) -> bool:
    """A typo changes letters, not words: "st jons wort" may be "st johns wort",
    but "vitamin d" is not "vitamin b6"."""
    typed, known = query.split(), term.split()
    if len(typed) != len(known):
        return False
    return all(
        a == b
        or (
            min(len(a), len(b)) >= 3
            and difflib.SequenceMatcher(None, a, b).ratio() >= CLOSE_CUTOFF - 0.05
        )
        for a, b in zip(typed, known, strict=True)
    )


@dataclass(frozen=True)
class Resolution:
    """How a typed name matched the list, if it did."""

    query: str
    substance: SubstanceLike | None
    # "name", "brand", "misspelling", "alias" (the whole text is that term), "label" (found
    # inside a longer label), "close" (closest spelling), or "" when not found.
    matched_by: str
    suggestions: tuple[str, ...] = ()

    @property
    def read_as(self) -> str | None:
        """ "read as zolpidem" when the match is a guess the person should see."""
        if self.substance is None or self.matched_by not in ("close", "label"):
            return None
        return self.substance.name


@dataclass(frozen=True)
class Together:
    """Several substances typed as one entry ("oxycodone + gabapentin"), or a
    spelling that is equally close to two: checked as all of them at once."""

    parts: tuple[SubstanceLike, ...]

    @property
    def id(self) -> str:
        return "+".join(p.id for p in self.parts)

    @property
    def name(self) -> str:
        return " or ".join(p.name for p in self.parts)

    @property
    def kind(self) -> str:
        return "combination"

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c for p in self.parts for c in p.classes))

    @property
    def brands(self) -> tuple[str, ...]:
        return ()

    @property
    def misspellings(self) -> tuple[str, ...]:
        return ()

    @property
    def aliases(self) -> tuple[str, ...]:
        return ()

    @property
    def components(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parts)

    @property
    def sources(self) -> tuple[SourceLike, ...]:
        return tuple(s for p in self.parts for s in p.sources)

    @property
    def as_of(self) -> date:
        return min(p.as_of for p in self.parts)

    @property
    def confidence(self) -> str:
        order = ("low", "medium", "high")
        return min((p.confidence for p in self.parts), key=order.index)


def substance_terms(substance: SubstanceLike) -> list[str]:
    return [
        substance.id,
        substance.name,
        *substance.brands,
        *substance.misspellings,
        *substance.aliases,
    ]


def substance_index(substances: Sequence[SubstanceLike]) -> NameIndex:
    return NameIndex.build((s.id, substance_terms(s)) for s in substances)


def _how(substance: SubstanceLike, text: str) -> str:
    """Whether the text is the name, a brand or another listed term."""
    typed = key(text)
    for how, names in (
        ("brand", substance.brands),
        ("misspelling", substance.misspellings),
        ("alias", substance.aliases),
    ):
        if any(key(n) == typed for n in names):
            return how
    return "name"


def resolve_with(
    text: str, substances: Sequence[SubstanceLike], index: NameIndex
) -> Resolution:
    by_id = {s.id: s for s in substances}
    exact, as_typed = index.exact(text)
    if exact and as_typed:
        substance = by_id[exact[0]]
        return Resolution(text, substance, _how(substance, text))
    # Names inside a label come before the label stripped of its numbers, so that
    # "Tylenol 3 300 mg" is Tylenol 3 (with codeine), not Tylenol.
    inside, left = index.inside(text)
    if inside:
        # A misspelt word beside a known one ("oxycodne and apap") is read too.
        guessed = [
            i
            for word in left
            if word not in JOINING_WORDS
            for i in index.close(word, cutoff=LEFTOVER_CUTOFF)
        ]
        parts = [by_id[i] for i in dict.fromkeys(inside + guessed)]
        return Resolution(
            text, _combined(parts, substances), "close" if guessed else "label"
        )
    if exact:
        return Resolution(text, by_id[exact[0]], "label")
    close = index.close(text)
    if close:
        return Resolution(
            text, _combined([by_id[i] for i in close], substances), "close"
        )
    return Resolution(text, None, "")


def _combined(
    parts: list[SubstanceLike], substances: Sequence[SubstanceLike]
) -> SubstanceLike:
    """One substance, the listed combination of exactly these parts, or all of them."""
    # A combination found with its own parts ("Percocet (oxycodone/APAP)") is it.
    combos = [p for p in parts if p.components]
    if len(combos) == 1 and all(
        p is combos[0] or p.id in combos[0].components for p in parts
    ):
        return combos[0]
    if len(parts) == 1:
        return parts[0]
    wanted = {p.id for p in parts}
    for substance in substances:
        if substance.components and set(substance.components) == wanted:
            return substance
    return Together(tuple(parts))


def resolve_named(
    text: str,
    entries: Sequence[N],
    names_of: Callable[[N], list[str]],
    index: NameIndex | None = None,
) -> N | None:
    """The entry a text names (exact, inside, or closest spelling) for lists
    other than substances, e.g. conditions; `index`, if given, is theirs."""
    if index is None:
        index = NameIndex.build((e.id, names_of(e)) for e in entries)
    by_id = {e.id: e for e in entries}
    found = index.exact(text)[0] or index.inside(text)[0] or index.close(text)
    return by_id[found[0]] if found else None
