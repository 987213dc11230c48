"""``python -m tradelib report [INPUT ...] --out DIR``: the same as the ``tradelib`` console script."""

from tradelib.cli import main

raise SystemExit(main())
