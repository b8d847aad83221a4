"""Finding likely names and places in transcripts, for the researcher to review before pseudonymising.

A heuristic, meant to be generous and checked by a person: capitalised words that do not
merely start a sentence, runs of capitalised words, a title (Dr, Mrs, Prof...) with the
name after it, and speaker labels that look like names. Common capitalised words (pronouns,
fillers, weekdays, months, interview roles) are left out, as are all-capital abbreviations
and words with digits ("NHS", "S01").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

TITLES = frozenset("Dr Mr Mrs Ms Miss Mx Prof Professor Sir Dame".split())

STOP_WORDS = frozenset("""
I I'm I've I'd I'll I’m I’ve I’d I’ll OK Ok Okay Yeah Yep Yes No Nope Oh Ah Aha Um Umm Uh Er Erm Hmm Mm Mmm
Mhm Uh-huh The A An And But Or So Then Well Because If When What Why How Who Whom Where Which While It
It's It’s That That's That’s This These Those There They We You He She My Our Your Their His Her Its Is
Was Were Are Be Do Did Does Not Just Like Right Sure Thanks Thank Please Also Actually Anyway Maybe
Of In On At For To From With By As After Before Now Yesterday Today Tomorrow Okay Alright Hi Hello Bye
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
August September October November December Mum Mom Dad God Christmas Easter English British Internet
Covid Interviewer Interviewee Participant Speaker Moderator Facilitator Respondent Researcher Inaudible
Laughs Laughter Crosstalk Pause Unclear Transcript Interview Hey Wow Whoa Gosh Huh Cool Great Oops Yay
""".split())

#: speaker labels that name a role or a number, not a person
_GENERIC_LABEL = re.compile(r"^(?:[^\W\d_]{0,15}\s*[-_#]?\s*\d+[a-z]?|interviewer|interviewee|moderator|"
                            r"facilitator|participant|respondent|researcher|speaker|unknown|i|r|q|a|iv|int)$",
                            re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_SENTENCE_END = set(".!?:…\n")
_OPENERS = set(" \t\"'“‘«([—–-")


@dataclass(frozen=True)
class Candidate:
    text: str
    #: "title" (Dr Smith), "name" (a capitalised word or run) or "speaker" (a speaker label)
    kind: str
    count: int = 0
    documents: int = 0


def _capitalised(word: str) -> bool:
    return (len(word) > 1 and word[0].isupper() and not word.isupper()
            and not any(c.isdigit() for c in word))


def _at_sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in _OPENERS:
        if text[i] in "\n":
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def _runs(text: str, skip: set[int]) -> list[list[re.Match]]:
    """Runs of capitalised words joined by single spaces (or ". " after a title); a title starts a new run."""
    runs: list[list[re.Match]] = []
    current: list[re.Match] = []
    for m in _WORD.finditer(text):
        if m.start() in skip or not _capitalised(m.group()):
            if current:
                runs.append(current)
            current = []
            continue
        if current:
            gap = text[current[-1].end():m.start()]
            if m.group() in TITLES or not (gap == " " or (gap == ". " and current[-1].group() in TITLES)):
                runs.append(current)
                current = []
        current.append(m)
    if current:
        runs.append(current)
    return runs


def _candidates_in(text: str, in_labels: set[int]) -> dict[str, str]:
    found: dict[str, str] = {}
    for run in _runs(text, in_labels):
        words = [m.group() for m in run]
        if words[0] in TITLES:
            names = []
            for m in run[1:3]:
                if m.group() in STOP_WORDS or m.group() in TITLES:
                    break
                names.append(m)
            if names:
                found[text[run[0].start():names[-1].end()]] = "title"
            continue
        if len(run) == 1 and _at_sentence_start(text, run[0].start()):
            continue  # a lone capital after a full stop says nothing; "Tomasz Nowak was" still does
        while run and (run[0].group() in STOP_WORDS or run[0].group() in TITLES):
            run = run[1:]
        while run and (run[-1].group() in STOP_WORDS or run[-1].group() in TITLES):
            run = run[:-1]
        if run and not any(m.group() in STOP_WORDS for m in run):
            found.setdefault(text[run[0].start():run[-1].end()], "name")
    return found


def find_candidates(texts: dict[int, str], labels: dict[int, list[tuple[int, str]]], *,
                    exclude: Sequence[str] = (), pseudonyms: Sequence[str] = ()) -> list[Candidate]:
    """Candidates over documents (``texts``: id -> text; ``labels``: id -> (turn start, speaker)).

    Speaker candidates carry their number of turns and documents; the others are counted by
    the caller, with the same whole-word rule that applying the key uses.
    """
    excluded = set(exclude)
    pseudonym_words = {w.casefold() for p in pseudonyms for w in _WORD.findall(p)}
    kinds: dict[str, str] = {}
    turns: dict[str, int] = {}
    documents: dict[str, set[int]] = {}
    for doc_id, text in texts.items():
        in_labels: set[int] = set()
        for start, speaker in labels.get(doc_id, []):
            if text.startswith(speaker, start):
                in_labels.update(range(start, start + len(speaker)))
            if not _GENERIC_LABEL.match(speaker) and speaker not in STOP_WORDS:
                kinds[speaker] = "speaker"
                turns[speaker] = turns.get(speaker, 0) + 1
                documents.setdefault(speaker, set()).add(doc_id)
        for found, kind in _candidates_in(text, in_labels).items():
            if kinds.get(found) != "title" and kinds.get(found) != "speaker":
                kinds[found] = kind
    lower_vocabulary = {w for text in texts.values() for w in _WORD.findall(text) if w[0].islower()}
    out = []
    for text, kind in kinds.items():
        words = [w.casefold() for w in _WORD.findall(text)]
        if text in excluded or (words and all(w in pseudonym_words for w in words)):
            continue
        if kind == "name" and all(w in lower_vocabulary for w in words):
            continue  # "what's", "ja", "open source" are written in lower case elsewhere: not names
        out.append(Candidate(text, kind, turns.get(text, 0), len(documents.get(text, ()))))
    return out
