"""Train the Punkt sentence-splitter parameters shipped in tradelib/data/punkt/.

Usage: python scripts/train_punkt.py [REUTERS_DIR]

Reads Reuters-21578 (default ../shared/data/reuters21578 beside the checkout)
through tradelib.load_articles, trains NLTK's PunktTrainer on the bodies of
every fifth document (NEWID % 5 == 0, about 2.4 MB of text), and writes the
learned parameters as plain text files in NLTK's punkt_tab layout. The
hand-kept abbreviations in tradelib/data/abbreviations.txt are added at load
time, not here, so the learned and the curated lists stay apart for review.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nltk.tokenize.punkt import PunktTrainer

import tradelib

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tradelib" / "data" / "punkt"


def main(argv: list[str]) -> int:
    src = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "data" / "reuters21578"
    arts = tradelib.load_articles(sorted(src.glob("reut2-*.sgm"))).articles
    ids = arts["meta"].map(lambda m: m["NEWID"])
    text = "\n\n".join(arts.loc[(ids % 5 == 0) & (arts["body"] != ""), "body"])
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = False
    trainer.train(text, finalize=True)
    params = trainer.get_params()
    OUT.mkdir(parents=True, exist_ok=True)
    header = "# Learned by scripts/train_punkt.py from Reuters-21578 (NEWID % 5 == 0)\n"
    (OUT / "abbrev_types.txt").write_text(header + "".join(f"{a}\n" for a in sorted(params.abbrev_types)))
    (OUT / "sent_starters.txt").write_text(header + "".join(f"{a}\n" for a in sorted(params.sent_starters)))
    (OUT / "collocations.tab").write_text(header + "".join(f"{a}\t{b}\n" for a, b in sorted(params.collocations)))
    (OUT / "ortho_context.tab").write_text(
        header + "".join(f"{t}\t{f}\n" for t, f in sorted(params.ortho_context.items()))
    )
    print(f"trained on {len(text):,} characters: {len(params.abbrev_types)} abbreviations, "
          f"{len(params.collocations)} collocations, {len(params.sent_starters)} sentence starters, "
          f"{len(params.ortho_context)} types in ortho_context")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
