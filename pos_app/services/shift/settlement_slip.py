"""The settlement statements as a short slip for the receipt printer: per facility the net
by payment method and the split, then the total of all of them. The figures are the
statements' own (``services.shift.settlement``), so the slip, the screen, the PDF and
``pos-app report settlement`` agree to the rupiah."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from pos_app.domain.errors import N_
from pos_app.domain.figures import FIGURE_LABELS
from pos_app.domain.money import format_rupiah
from pos_app.domain.receipt import METHOD_LABELS, Element, Pair, Rule, Text
from pos_app.domain.settlement import PARTS
from pos_app.services.shift.settlement import Statement

LABELS = dict(FIGURE_LABELS)

Translate = Callable[[str], str]

PART_LABELS = {"pnbp": N_("PNBP"), "premi": N_("Premi"), "modal": N_("Modal"),
               "program": N_("Program")}


def _signed(amount: int) -> str:
    return "-" + format_rupiah(-amount) if amount < 0 else format_rupiah(amount)


def period_text(date_from: date | None, date_to: date | None, _: Translate) -> str:
    """``whole event``, ``2026-11-21`` or ``2026-11-20 – 2026-11-21``."""
    if date_from is None and date_to is None:
        return _("whole event")
    start = date_from.isoformat() if date_from else "…"
    end = date_to.isoformat() if date_to else "…"
    return start if start == end else f"{start} – {end}"


def slip_name(device_code: str, found: Sequence[Statement]) -> str:
    """The document's name in the print log (and of the PDF fallback)."""
    made = found[0].made_at if found else None
    return f"settlement-{device_code}" + (f"-{made:%Y%m%d-%H%M}" if made else "")


def summary_elements(found: Sequence[Statement], _: Translate = lambda s: s) -> list[Element]:
    """The slip: a heading, one block per facility (sales, refunds, net by method, the
    split or a note that the percentages are not set), and the grand total."""
    if not found:
        return []
    first = found[0]
    made = first.made_at  # already the event's local time
    out: list[Element] = [
        Text(first.booth_name, "center", bold=True),
        Text(_("SETTLEMENT SUMMARY"), "center", bold=True, large=True),
        Pair(_("Period"), period_text(first.date_from, first.date_to, _)),
        Pair(_("Made at"), f"{made:%d/%m/%Y %H:%M}"),
        Rule("="),
    ]
    for st in found:
        out.append(Text(f"{st.facility_code} {st.facility_name}", bold=True))
        fig = st.figures
        for key in ("sales", "voids", "refunds"):
            out.append(Pair(_(LABELS[key]), _signed(fig.value(key))))
        for line in st.methods:
            if line.gross or line.refunds:
                out.append(Pair("  " + _(METHOD_LABELS[line.method]), _signed(line.net)))
        out.append(Pair(_(LABELS["net"]), _signed(fig.net), bold=True))
        out.append(Pair(_("PPN to remit"), _signed(fig.tax)))
        out.append(Pair(_(LABELS["dpp"]), _signed(fig.dpp)))
        if st.split is None:
            out.append(Text(_("Percentages not set: the DPP is not split")))
        else:
            for part in PARTS:
                out.append(Pair("  " + _(PART_LABELS[part]), _signed(st.split[part])))
        out.append(Rule())
    out.append(Pair(_("Facilities"), str(len(found))))
    out.append(Pair(_("Total net"), _signed(sum(st.net for st in found)), bold=True))
    out.append(Pair(_("Total PPN to remit"), _signed(sum(st.figures.tax for st in found))))
    return out
