"""Evaluation of tradelib's measures against labelled data.

Each function returns a tidy DataFrame that a notebook can show as it is and
that the README's figures are copied from. Sections: tone (human ratings),
quotes (speaker and side accuracy), stance (cross-validated labels),
relevance (Reuters-21578 ModApte split).
"""

from __future__ import annotations

# ---- tone -------------------------------------------------------------------

# ---- quotes -----------------------------------------------------------------

# ---- stance -----------------------------------------------------------------

# ---- relevance --------------------------------------------------------------
