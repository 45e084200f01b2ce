"""Language identification: the batched automaton walk gives py3langid's own answers."""

from __future__ import annotations

import pytest

from framing.corpus import language

TEXTS = [
    "Russian President Vladimir Putin said on Thursday that Moscow was ready to negotiate.",
    "Президент России Владимир Путин заявил в четверг, что Москва готова к переговорам.",
    "Der russische Präsident Wladimir Putin sagte am Donnerstag, Moskau sei zu Verhandlungen bereit.",
    "Le président russe Vladimir Poutine a déclaré jeudi que Moscou était prête à négocier.",
    "El presidente ruso, Vladímir Putin, dijo el jueves que Moscú estaba dispuesta a negociar.",
    "俄罗斯总统普京周四表示，莫斯科准备进行谈判，但西方官员表示没有迹象表明克里姆林宫的战争目标发生变化。",
    "قال الرئيس الروسي فلاديمير بوتين يوم الخميس إن موسكو مستعدة للتفاوض بشأن أوكرانيا.",
    "ÉTAT D'URGENCE DÉCLARÉ À PARIS APRÈS LES INONDATIONS DE LA SEINE ET DE LA MARNE",  # all capitals
    "A mix: the talks in Berlin — die Gespräche in Berlin — ended without agreement today.",
    "x" * 40,
    "123 456 789 — 2024-02-09 ... !!! ??? abc",
    "short",
    "",
    None,
    "Putin " * 600,  # longer than the 1,500-character sample
]


def test_batch_equals_one_at_a_time():
    one_by_one = [language.detect_language(t) for t in TEXTS]
    assert language.detect_languages(TEXTS) == one_by_one
    # and py3langid itself decides the first sample of each text
    ident = language._identifier()
    for text, (code, confidence) in zip(TEXTS, one_by_one):
        if code == "und":
            continue
        lang, prob = ident.classify(text[: language.SAMPLE_CHARS])
        assert (code, confidence) == (lang, round(float(prob), 4))


@pytest.mark.parametrize("text, code", [(TEXTS[0], "en"), (TEXTS[1], "ru"), (TEXTS[2], "de"), (TEXTS[3], "fr"), ("Hi.", "und"), (None, "und")])
def test_codes(text, code):
    assert language.detect_languages([text])[0][0] == code


def test_order_does_not_matter():
    forward = language.detect_languages(TEXTS)
    backward = language.detect_languages(TEXTS[::-1])
    assert forward == backward[::-1]
    assert language.detect_languages([]) == []


def test_visits_by_text_equals_a_counter_per_text():
    from collections import Counter

    import numpy as np

    rng = np.random.default_rng(11)
    for width, n_texts, n_features in [(1, 1, 1), (7, 3, 4), (60, 9, 5), (64, 4, 1), (300, 20, 2000)]:
        features = rng.integers(-1, n_features, size=(width, n_texts), dtype=np.int32)
        lengths = rng.integers(0, width + 1, size=n_texts).astype(np.int64)
        got = language._visits_by_text(features.T, lengths)  # texts as rows
        for col in range(n_texts):
            seen = Counter(int(f) for f in features[: lengths[col], col] if f >= 0)  # first-visit order
            if not seen:
                assert got[col] is None
                continue
            ids, counts = got[col]
            assert ids.dtype == np.intp and counts.dtype == np.float32
            assert ids.tolist() == list(seen) and counts.tolist() == list(seen.values())
    # one feature at every byte: the count equals the width (a power of two here)
    got = language._visits_by_text(np.full((3, 64), 5, dtype=np.int32), np.array([64, 1, 0]))
    assert got[0][0].tolist() == [5] and got[0][1].tolist() == [64.0] and got[1][1].tolist() == [1.0] and got[2] is None


def test_batch_equals_py3langid_on_many_texts():
    import random

    rng = random.Random(5)
    words = " ".join(t for t in TEXTS if t).split()
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 400))) for _ in range(60)]
    ident = language._identifier()
    for text, (code, confidence) in zip(texts, language.detect_languages(texts)):
        if language.detect_language(text) == ("und", None):
            assert (code, confidence) == ("und", None)
            continue
        lang, prob = ident.classify(text[: language.SAMPLE_CHARS])
        assert (code, confidence) == (lang, round(float(prob), 4))


def test_float32_table_gives_the_float16_product(tmp_path, monkeypatch):
    import numpy as np

    ident = language._identifier()
    monkeypatch.setenv("FRAMING_CACHE_DIR", str(tmp_path))
    language._ptc32.cache_clear()
    try:
        with_table = language.detect_languages(TEXTS)
        table = language._ptc32(ident)
        assert table is not None and table.dtype == np.float32 and table.shape == ident.nb_ptc.shape
        rng = np.random.default_rng(13)
        for size in (1, 3, 50, 700, 3000):
            ids = rng.choice(ident.nb_ptc.shape[0], size=size, replace=False).astype(np.intp)
            weights = np.log1p(rng.integers(1, 40, size=size).astype(np.float32))
            assert np.array_equal((weights @ ident.nb_ptc[ids]).view(np.uint32), (weights @ table[ids]).view(np.uint32))  # bit for bit
        monkeypatch.setenv("FRAMING_CACHE_DIR", "off")
        language._ptc32.cache_clear()
        assert language._ptc32(ident) is None
        assert language.detect_languages(TEXTS) == with_table  # the float16 table: same answers
    finally:
        language._ptc32.cache_clear()


def test_mapped_model_holds_the_read_numbers(tmp_path):
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from framing.cache import cache_dir

    if cache_dir() is None:
        pytest.skip("framing's cache is off (FRAMING_CACHE_DIR)")
    language._identifier()  # makes the cache entry when missing
    stored = sorted(cache_dir().glob("py3langid-model-*.npz"))
    assert stored
    mapped = language._mapped_npz(stored[0])
    assert mapped is not None
    with np.load(stored[0], allow_pickle=False) as data:
        for name in language._NPZ_NAMES:
            assert np.array_equal(mapped[name], data[name]) and mapped[name].dtype == data[name].dtype
    ours = language._identifier_from_npz(stored[0])
    theirs = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    assert list(ours.tk_row) == list(theirs.tk_row) and ours._rowbase == theirs._rowbase and ours.tk_output == theirs.tk_output
    for text in TEXTS[:9]:
        assert ours.classify(text) == theirs.classify(text)
    # a compressed archive is read, not mapped
    packed = tmp_path / "packed.npz"
    with np.load(stored[0], allow_pickle=False) as data:
        np.savez_compressed(packed, **{name: data[name] for name in language._NPZ_NAMES})
    assert language._mapped_npz(packed) is None
    assert language._identifier_from_npz(packed).classify(TEXTS[0]) == theirs.classify(TEXTS[0])
    assert language._mapped_npz(tmp_path / "missing.npz") is None


def test_model_holds_the_identifiers_tables(monkeypatch):
    import numpy as np

    ident = language._identifier()
    models = [language._model()]
    monkeypatch.setattr(language, "_model_file", lambda: None)  # the cache off: taken from the identifier
    language._model.cache_clear()
    try:
        models.append(language._model())
    finally:
        language._model.cache_clear()
    for model in models:
        assert np.array_equal(model.nb_ptc, ident.nb_ptc) and np.array_equal(model.nb_pc, ident.nb_pc)
        assert list(model.nb_classes) == list(ident.nb_classes) and model.alias_pairs == tuple(ident._alias_pairs)
        assert model.nextmove.tolist() == list(ident.tk_nextmove)
        assert model.rowbase.tolist() == list(ident._rowbase) and model.output.tolist() == list(ident.tk_output)
    assert language._alias_pairs(["en", "sr", "de", "sr", "en", "sr"]) == ((1, 3), (0, 4), (1, 5))


def _walk_inputs():
    import random

    from py3langid.langid import LanguageIdentifier

    rng = random.Random(17)
    texts = [t for t in TEXTS if t]
    words = " ".join(texts).split()
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 300))) for _ in range(40)]
    encoded = [LanguageIdentifier._encode(t[: language.SAMPLE_CHARS]) for t in texts]
    # lengths around chunk boundaries, and arbitrary bytes (not UTF-8)
    encoded += [b"a" * n for n in (1, language._CHUNK - 1, language._CHUNK, language._CHUNK + 1, 3 * language._CHUNK)]
    encoded += [bytes(rng.randrange(256) for _ in range(rng.randint(1, 400))) for _ in range(20)]
    return encoded


def test_chunked_walk_equals_the_byte_walk(monkeypatch):
    import numpy as np

    model = language._model()
    encoded = _walk_inputs()
    lengths = np.array([len(b) for b in encoded], dtype=np.int64)
    want = language._walk_bytes(model, encoded, lengths)
    fallbacks = []
    monkeypatch.setattr(language, "_walk_bytes", lambda *a: fallbacks.append(1) or want)
    for chunk in (language._CHUNK, 5, 1):
        monkeypatch.setattr(language, "_CHUNK", chunk)
        got = language._walk(model, encoded, lengths)
        assert not fallbacks and got.shape[0] == len(encoded) and got.shape[1] >= want.shape[1] == lengths.max()
        for row, n in enumerate(lengths):
            assert np.array_equal(got[row, :n], want[row, :n])
    # too short a warm-up: chunks that do not start where the one before ended -> the byte walk
    monkeypatch.setattr(language, "_CHUNK", 64)
    monkeypatch.setattr(language, "_WARMUP", 0)
    assert language._walk(model, encoded, lengths) is want and fallbacks


def test_probabilities_are_py3langids_bit_for_bit():
    """The normalisation of all texts' scores at once gives py3langid's own float for each."""
    import random

    import numpy as np
    from py3langid.langid import LanguageIdentifier

    rng = random.Random(23)
    words = " ".join(t for t in TEXTS if t).split()
    texts = [t for t in TEXTS if t] + [" ".join(rng.choice(words) for _ in range(rng.randint(1, 300))) for _ in range(80)]
    texts += ["!!! ??? ...", "\u2014" * 10]  # no features visited: the uniform row
    samples = [t[: language.SAMPLE_CHARS] for t in texts]
    model = language._model()
    encoded = [LanguageIdentifier._encode(t) for t in samples]
    lengths = np.array([len(b) for b in encoded], dtype=np.int64)
    visits = language._visits_by_text(language._walk(model, encoded, lengths), lengths)
    ident = language._identifier()
    for sample, got in zip(samples, language._classify_visits(model, visits, lengths)):
        lang, prob = ident.classify(sample)
        assert got == (lang, float(prob)), sample[:40]
