"""The vocabularies (core/vocab.py): every word of each names its own term."""

from __future__ import annotations

import pytest

from depositctl.core import vocab
from depositctl.core.vocab import Term, Vocabulary, normalize_word

VOCABULARIES = {name: value for name, value in vars(vocab).items() if isinstance(value, Vocabulary)}


def test_there_are_vocabularies() -> None:
    assert {"CHANNEL", "OUTCOME", "RECIPIENT", "FORMAT", "CAPACITY"} <= set(VOCABULARIES)


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_each_word_of_a_vocabulary_finds_its_term(name: str) -> None:
    """The value, the Chinese name and each alias, as typed (and NFKC-wide), name the
    term: the look-up table is made on first use, so this is where a clash would show."""
    v = VOCABULARIES[name]
    for t in v:
        for word in (t.value, t.zh, *t.aliases):
            assert v.find(word) == t.value, (name, word)
            assert v.find(f"  {word.upper()} ") == t.value, (name, word)
        assert normalize_word(t.value) in v.words()


def test_a_word_naming_two_terms_is_refused_on_first_look_up() -> None:
    v = Vocabulary(Term("phone", "电话"), Term("call", "电话"))
    with pytest.raises(ValueError, match="names two terms"):
        v.find("phone")
