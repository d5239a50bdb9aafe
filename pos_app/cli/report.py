"""``pos-app report settlement`` and ``pos-app facility shares|list``: the per-facility
settlement statement (laporan hasil penjualan) from the back office, and the percentages it
splits the net by.

``report settlement --facility CODE`` shows one facility's statement (without ``--facility``:
every facility with sales) for the event or ``--from``/``--to`` business dates, and with
``--pdf FILE`` also saves it, one facility per page. ``facility shares`` sets a facility's
PNBP, premi, modal and program percentages (they must add up to 100; journaled with the
actor). A refused command prints one translated line, exits non-zero and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from pos_app.cli.args import parse_period
from pos_app.cli.common import BACK_OFFICE_ROLE, Parser, back_office_actor, emit, open_booth, table
from pos_app.domain.errors import N_
from pos_app.domain.figures import FIGURE_LABELS
from pos_app.i18n import _, language, ngettext

FIGURE_LABEL = dict(FIGURE_LABELS)
PART_NAMES = {"pnbp": N_("PNBP"), "premi": N_("Premi"), "modal": N_("Modal"),
              "program": N_("Program")}


def _pct(bp: int) -> str:
    """Basis points as a percentage in the message language: ``37,5 %`` / ``37.5 %``."""
    from pos_app.domain.money import format_percent

    return format_percent(bp, locale=language())


def _money(amount: int) -> str:
    from pos_app.domain.money import format_rupiah

    return "-" + format_rupiah(-amount) if amount < 0 else format_rupiah(amount)


# --- report settlement -------------------------------------------------------------------------

def _period(st) -> str:
    if st.date_from is None and st.date_to is None:
        return _("whole event")
    start = st.date_from.isoformat() if st.date_from else "…"
    end = st.date_to.isoformat() if st.date_to else "…"
    return start if start == end else f"{start} – {end}"


def _statement_text(st) -> list[str]:
    from pos_app.domain.receipt import METHOD_LABELS
    from pos_app.domain.settlement import PARTS

    out = [_("Sales proceeds statement of {facility} ({name}, {kind}), {period}").format(
        facility=st.facility_code, name=st.facility_name, kind=st.facility_kind,
        period=_period(st))]
    # per method: what the sales brought in ("Sales", as in the figures), what voids and
    # refunds gave back (negative, as everywhere) and the net
    rows = [(_(METHOD_LABELS[m.method]), _money(m.gross), _money(-m.refunds), _money(m.net))
            for m in st.methods]
    rows.append((_("Total"), _money(st.sales), _money(-st.refunds), _money(st.net)))
    out += table((_("Payment method"), _(FIGURE_LABEL["sales"]), _("Voids and refunds"),
                  _("Net")), rows, right={1, 2, 3})
    # the one set of figures (domain.figures), each on its own line under its own label
    out += table((ngettext("{count} sale", "{count} sales", st.count).format(count=st.count),
                  ""), [(_(label), _money(amount)) for _key, label, amount in st.figures.shown()],
                 right={1})
    out.append(_("DPP (net less PPN) {dpp}; PPN {tax} is tax to remit, not split").format(
        dpp=_money(st.dpp), tax=_money(st.figures.tax)))
    if st.split is None:
        out.append(_("Percentages not set for {facility}: the DPP is not split (set them "
                     "with `pos-app facility shares {facility}`)").format(
            facility=st.facility_code))
        return out
    bp = st.shares.as_dict()
    out += table((_("Part"), _("Percentage"), _("Amount")),
                  [(_(PART_NAMES[p]), _pct(bp[p]), _money(st.split[p])) for p in PARTS]
                  + [(_("Total"), _pct(sum(bp.values())), _money(sum(st.split.values())))],
                  right={1, 2})
    out.append(_("Remainder rule: {rule}.").format(rule=_(st.rule)))
    return out


def cmd_report_settlement(args) -> int:
    from pos_app.services.shift.settlement_print import statement_data
    from pos_app.services.shift.settlement_report import settlement_report

    date_from, date_to = parse_period(args.date_from, args.date_to)
    booth = open_booth(args)
    try:
        done = settlement_report(booth, role=BACK_OFFICE_ROLE, facility_code=args.facility,
                                 date_from=date_from,
                                 date_to=date_to, pdf=Path(args.pdf) if args.pdf else None,
                                 translate=_, language=language())
    finally:
        booth.close()
    found, pdf = done.statements, done.pdf
    lines: list[str] = []
    for st in found:
        lines += [*([""] if lines else []), *_statement_text(st)]
    if pdf is not None:
        lines.append(_("Statement saved to {path}").format(path=pdf))
    emit(args, {"statements": [statement_data(st) for st in found],
                "pdf": str(pdf) if pdf else None}, "\n".join(lines))
    return 0


# --- facility shares | list --------------------------------------------------------------------

def cmd_facility_shares(args) -> int:
    from pos_app.domain.settlement import PARTS, Shares, parse_percent
    from pos_app.services.shift.settlement import set_shares

    shares = Shares(**{p: parse_percent(getattr(args, p)) for p in PARTS}).check()
    code = args.code.strip().upper()
    booth = open_booth(args)
    try:
        set_shares(booth, code, shares, actor=back_office_actor(args), actor_role=BACK_OFFICE_ROLE)
    finally:
        booth.close()
    bp = shares.as_dict()
    emit(args, {"facility": code, "shares_bp": bp},
         _("Percentages of {facility}: PNBP {pnbp}, premi {premi}, modal {modal}, "
           "program {program}").format(facility=code, **{p: _pct(v) for p, v in bp.items()}))
    return 0


def cmd_facility_list(args) -> int:
    from pos_app.services.shift.settlement_report import facilities_with_shares

    booth = open_booth(args)
    try:
        rows = facilities_with_shares(booth)
    finally:
        booth.close()
    data = {"facilities": [{"code": r.facility.code, "name": r.facility.name,
                            "kind": r.facility.kind, "region": r.facility.region,
                            "shares_bp": r.shares.as_dict() if r.shares.is_set else None}
                           for r in rows]}
    lines = []
    for r in rows:
        figures = [_pct(v) for v in r.shares.as_dict().values()] if r.shares.is_set \
            else [_("not set"), "", "", ""]
        lines.append((r.facility.code, r.facility.name, r.facility.kind, *figures))
    head = (_("Code"), _("Name"), _("Kind"), *(_(n) for n in PART_NAMES.values()))
    emit(args, data, "\n".join(table(head, lines, right={3, 4, 5, 6}))
         if rows else _("No facilities"))
    return 0


# --- parser ------------------------------------------------------------------------------------

def add_report_commands(sub, common) -> None:
    """``report settlement`` and ``facility shares|list``."""
    rep = sub.add_parser("report", parents=[common], help=_("end-of-event reports"))
    rep_sub = rep.add_subparsers(dest="report_command", required=True, parser_class=Parser)
    p = rep_sub.add_parser("settlement", parents=[common],
                           help=_("per-facility settlement statement (PNBP, premi, modal, "
                                  "program)"))
    p.add_argument("--facility", metavar="CODE",
                   help=_("one facility (default: every facility with sales)"))
    p.add_argument("--pdf", metavar="FILE", help=_("also save the statement as PDF"))
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                   help=_("first business date (default: the whole event)"))
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                   help=_("last business date"))
    p.set_defaults(func=cmd_report_settlement)

    fac = sub.add_parser("facility", parents=[common],
                         help=_("facilities and their settlement percentages"))
    fac_sub = fac.add_subparsers(dest="facility_command", required=True, parser_class=Parser)
    p = fac_sub.add_parser("shares", parents=[common],
                           help=_("set a facility's PNBP, premi, modal and program percentages"))
    p.add_argument("code", metavar="CODE")
    for part in PART_NAMES:
        p.add_argument(f"--{part}", metavar="PERCENT", required=True)
    p.add_argument("--cashier", metavar="NAME",
                   help=_("who did it (default: the operating-system user)"))
    p.set_defaults(func=cmd_facility_shares)
    p = fac_sub.add_parser("list", parents=[common],
                           help=_("facilities with their settlement percentages"))
    p.set_defaults(func=cmd_facility_list)
