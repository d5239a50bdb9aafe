"""Who the kwitansi is made out to: buyer (required), institution and purpose (optional).

For a copy (SALINAN) the fields show the original's and cannot be changed: a copy repeats it.
For a kwitansi that replaces an earlier one (a refund changed the amount) they start from it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLineEdit

from pos_app.domain.errors import N_
from pos_app.domain.kwitansi import BUYER, INSTITUTION, PURPOSE
from pos_app.domain.money import format_rupiah
from pos_app.i18n import _
from pos_app.services.sale.kwitansi import KwitansiPlan
from pos_app.ui.common.banner import Banner
from pos_app.ui.common.buttons import TouchButton
from pos_app.ui.common.dialog_layout import titled

# Said by services.kwitansi through ``translate``; marked here so the catalog carries it.
DEFAULT_PURPOSE = N_("Purchase of goods made by inmates: {items}")
PDF_TITLE = N_("Kwitansi")


@dataclass(frozen=True)
class KwitansiRequest:
    buyer: str
    institution: str
    purpose: str | None  # None: the default purpose, naming the goods


class KwitansiDialog(QDialog):
    """Emits :attr:`confirmed` with a :class:`KwitansiRequest` once a buyer is named."""

    confirmed = Signal(object)

    def __init__(self, number: str, total: int, parent=None,
                 plan: KwitansiPlan | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setMinimumWidth(560)
        text = _("An A4 receipt for an institution, for {amount}. Save it as a PDF and print "
                 "it on an office printer.").format(amount=format_rupiah(total))
        if plan is not None and plan.copy_of:
            text += " " + _("Kwitansi {number} was issued before: this is a copy (SALINAN), "
                            "with the same buyer.").format(number=plan.copy_of)
        elif plan is not None and plan.replaces:
            text += " " + _("It replaces kwitansi {number} (a refund changed the "
                            "amount).").format(number=plan.replaces)
        layout = titled(self, _("Kwitansi for sale {number}").format(number=number), text)
        self.setWindowTitle(_("Kwitansi"))

        self.buyer_edit = QLineEdit(self)
        self.buyer_edit.setMaxLength(BUYER[1])
        self.buyer_edit.setPlaceholderText(_("Required, e.g. Maria Bria"))
        self.institution_edit = QLineEdit(self)
        self.institution_edit.setMaxLength(INSTITUTION[1])
        self.institution_edit.setPlaceholderText(_("Optional, e.g. Dinas Koperasi NTT"))
        self.purpose_edit = QLineEdit(self)
        self.purpose_edit.setMaxLength(PURPOSE[1])
        self.purpose_edit.setPlaceholderText(_("Optional; empty names the goods bought"))
        form = QFormLayout()
        form.setSpacing(10)
        form.addRow(_("Received from"), self.buyer_edit)
        form.addRow(_("Institution"), self.institution_edit)
        form.addRow(_("For payment of"), self.purpose_edit)
        for edit in (self.buyer_edit, self.institution_edit, self.purpose_edit):
            edit.returnPressed.connect(self.confirm)
        if plan is not None:
            self.buyer_edit.setText(plan.buyer)
            self.institution_edit.setText(plan.institution)
        if plan is not None and plan.copy_of:  # a copy repeats the original
            self.purpose_edit.setMaxLength(max(PURPOSE[1], len(plan.purpose or "")))
            self.purpose_edit.setText(plan.purpose or "")
            for edit in (self.buyer_edit, self.institution_edit, self.purpose_edit):
                edit.setReadOnly(True)
                edit.setCursorPosition(0)

        self.error = Banner(self)
        cancel = TouchButton(_("Cancel"), self, key="Esc")
        cancel.clicked.connect(self.reject)
        self.save_button = TouchButton(_("Save PDF…"), self, role="primary", key="Enter")
        self.save_button.clicked.connect(self.confirm)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)

        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        (self.save_button if plan is not None and plan.copy_of else self.buyer_edit).setFocus()

    def confirm(self) -> None:
        if self.plan is not None and self.plan.copy_of:  # the service repeats the original
            self.confirmed.emit(KwitansiRequest(self.plan.buyer, self.plan.institution, None))
            self.accept()
            return
        buyer = self.buyer_edit.text().strip()
        if not buyer:
            self.error.show_error(_("Type the name of the buyer"))
            self.buyer_edit.setFocus()
            return
        purpose = self.purpose_edit.text().strip() or None
        self.confirmed.emit(KwitansiRequest(buyer, self.institution_edit.text().strip(),
                                            purpose))
        self.accept()
