"""The recogniser: the real spaCy model, loaded once per test session."""
from __future__ import annotations

import pytest

from builder import nlp
from builder.errors import DossierError


@pytest.fixture(scope="session")
def recognize():
    return nlp.load_recognizer()


def test_recogniser_returns_character_spans_with_spacy_labels(recognize):
    text = "Angela Merkel visited Paris on Monday."
    [spans] = recognize([text])
    found = {text[s:e]: label for s, e, label in spans}
    assert found["Angela Merkel"] == "PERSON"
    assert found["Paris"] == "GPE"
    assert found["Monday"] == "DATE"


def test_recogniser_answers_one_list_per_text_in_order(recognize):
    result = recognize(["Tokyo is big.", "", "Nothing here."])
    assert len(result) == 3
    assert result[1] == []


def test_model_is_loaded_once_per_process():
    assert nlp._load_pipeline() is nlp._load_pipeline()


def test_only_the_ner_component_runs(recognize):
    assert nlp._load_pipeline().pipe_names == ["ner"]


def test_matrix_products_go_to_numpy_not_blis(recognize):
    layers = [layer for _, pipe in nlp._load_pipeline().pipeline for layer in pipe.model.walk()]
    assert layers and not any(layer.ops.use_blis for layer in layers)


def test_blas_is_held_to_one_thread_while_recognising(monkeypatch, recognize):
    import threadpoolctl

    seen = []
    real = threadpoolctl.threadpool_limits

    def spy(*args, **kwargs):
        seen.append(kwargs.get("limits", args[0] if args else None))
        return real(*args, **kwargs)

    monkeypatch.setattr(threadpoolctl, "threadpool_limits", spy)
    nlp.load_recognizer()(["Berlin is a city."])
    assert seen == [nlp._BLAS_THREADS] == [1]


def test_missing_model_raises_an_error_that_says_how_to_fix_it(monkeypatch):
    def no_model(name):
        raise ImportError(name)

    nlp._load_pipeline.cache_clear()
    monkeypatch.setattr(nlp.importlib, "import_module", no_model)
    try:
        with pytest.raises(DossierError, match="pip install"):
            nlp.load_recognizer()
    finally:
        monkeypatch.undo()
        nlp._load_pipeline.cache_clear()
