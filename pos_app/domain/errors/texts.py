"""The English message templates (msgids) of the domain's errors, by code, marked with
``N_`` so Babel extracts them; :mod:`pos_app.domain.errors` fills and translates them."""

from __future__ import annotations

import errno

__all__ = ["MESSAGES", "N_", "OS_REASONS", "ROW_MESSAGES"]


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext no-op marker
    """Mark a string for extraction without translating it here."""
    return text


# code -> English message template (msgid). Parameters are str.format fields.
MESSAGES: dict[str, str] = {
    "unknown_product": N_("Unknown product: {ref}"),
    "inactive_product": N_("Product {ref} is no longer sold"),
    "bad_quantity": N_("Quantity must be a whole number from 1 to {max}: {qty}"),
    "bad_amount": N_("Amount must be a whole number of rupiah from 0 to {max}: {amount}"),
    "bad_price": N_("Price must be a whole number of rupiah from 0 to {max}: {amount}"),
    "bad_positive_amount": N_("Amount must be a whole number of rupiah from 1 to {max}: "
                              "{amount}"),
    "number_too_long": N_("The number {value} is too large (more than {digits} digits)"),
    "amount_overflow": N_("The sale total is too large to record"),
    "bad_percent": N_("Percentage must be between 0 and 100: {value}"),
    "discount_exceeds": N_("The discount is larger than the amount it applies to"),
    "empty_cart": N_("The cart is empty"),
    "payment_short": N_("Payment is short by {short}"),
    "overpaid_noncash": N_("Only cash can be more than the amount due; {method} is over by {over}"),
    "unknown_method": N_("Unknown payment method: {method}"),
    "reference_required": N_("{method} needs a reference (approval code)"),
    "bad_line": N_("No such line in the cart: {index}"),
    "unknown_cashier": N_("Unknown cashier: {name}"),
    "no_device": N_("This database has no device yet; run `pos-app init` first"),
    "bad_database": N_("Not a Lapak database: {path}"),
    "database_is_folder": N_("{path} is a folder, not a database file"),
    "user_name_mixed_scripts": N_("\"{name}\" mixes letters of different alphabets (such as "
                                  "Latin and Cyrillic); type the name in one alphabet"),
    "first_admin_refused": N_("This database already has users: only an administrator "
                              "(Users, with their PIN) or the command line (pos-app user add "
                              "NAME --role admin) adds an administrator"),
    "database_read_only": N_("The database {path} is read-only (a CD or a write-protected "
                             "stick?): it can be read, verified, exported and backed up, "
                             "not changed. Copy it to a writable place to work on it"),
    "database_read_only_old": N_("The database {path} is read-only and made by an older "
                                 "version: copy it to a writable place, where it is upgraded "
                                 "when opened"),
    "database_damaged": N_("The database {path} is damaged: restore the newest backup (pos-app "
                           "restore BACKUP, or in the app: Settings, Backups, Restore a backup)"),
    "database_empty": N_("{path} is empty, not a Lapak database; create one with `pos-app init`"),
    "database_unreadable": N_("Cannot open the database {path}: {reason}"),
    "db_newer": N_("The database was made by a newer version of Lapak ({revision})"),
    "bad_sale_number": N_("Not a sale number: {number}"),
    "unknown_sale": N_("No sale numbered {number}"),
    "unknown_parked": N_("That parked sale no longer exists"),
    "bad_tax_setting": N_("Bad tax setting {key}: {value}"),
    "bad_setting": N_("{value} is not a valid value for the setting {key}: it takes {reason}"),
    "setting_not_allowed": N_("{name} ({role}) may not change the setting {key}"),
    "unknown_setting": N_("There is no setting called {key}"),
    "setting_read_only": N_("The setting {key} is written by the app itself, not by hand"),
    "import_failed": N_("Nothing was imported: {count} error(s) in {path}"),
    "import_unreadable": N_("Cannot read {path}: {reason}"),
    "import_not_utf8": N_("{path} is not UTF-8 text; save it as CSV UTF-8"),
    "import_unknown_format": N_("Unknown file type {path}: use .csv or .xlsx"),
    "import_no_rows": N_("{path} has no data rows"),
    "import_missing_column": N_("{path} lacks the column {column}"),
    "bad_item_arg": N_("Expected SKU=QTY, got {arg}"),
    "bad_pay_arg": N_("Expected METHOD=AMOUNT, got {arg}"),
    "database_busy": N_("The database is busy; try again"),
    "database_io": N_("The sale could not be saved ({reason}); nothing was recorded"),
    "printer_bad_uri": N_("Not a printer address: {uri}"),
    "printer_unknown_option": N_("The printer address {uri} has the option {option}, which "
                                 "Lapak does not know; it knows {known}"),
    "printer_bad_option": N_("The printer address {uri} gives {option} the value {value}; "
                             "it takes {choices}"),
    "printer_refused": N_("The printer at {target} refused the connection"),
    "printer_timeout": N_("The printer at {target} did not answer within {seconds} s"),
    "printer_disconnected": N_("The printer at {target} was disconnected while printing"),
    "printer_access_denied": N_("No permission to use the printer {target}"),
    "printer_busy": N_("The printer {target} is busy (another program is using it)"),
    "printer_not_found": N_("Printer not found: {target}"),
    "printer_offline": N_("The printer {target} is offline (out of paper or cover open)"),
    "printer_unsupported": N_("This computer cannot print to {target}: {reason}"),
    "printer_failed": N_("Printing on {target} failed: {reason}"),
    "no_printer": N_("No receipt printer is set up"),
    "printer_unreachable": N_("The receipt printer does not answer. Check that it is switched "
                              "on and that its cable (USB or network) is plugged in"),
    "printer_not_ready": N_("The receipt printer is not ready. Check that it has paper and "
                            "that its cover is closed"),
    "printer_in_use": N_("The receipt printer is in use by another program. Close that "
                         "program, or wait a moment and print again"),
    "bad_pin": N_("Wrong name or PIN"),
    "bad_pin_format": N_("A PIN is 4 to 8 digits"),
    "account_locked": N_("{name} is locked after too many wrong PINs; a coordinator must unlock it"),
    "unknown_user": N_("Unknown user: {name}"),
    "user_exists": N_("A user named {name} already exists"),
    "not_allowed": N_("{name} ({role}) may not {action}"),
    "approval_required": N_("{action} needs a coordinator's approval"),
    "approval_invalid": N_("That approval is not valid for this action"),
    "approval_cart_changed": N_("The cart changed after the coordinator's approval: "
                                "ask the coordinator again"),
    "approval_used": N_("That approval was already used"),
    "approval_expired": N_("That approval has expired"),
    "self_approval": N_("Another person must approve: {name} cannot approve their own {action}"),
    "no_open_shift": N_("No shift is open; open a shift with a cash count first"),
    "shift_already_open": N_("A shift is already open on this device ({cashier})"),
    "shift_closed": N_("That shift is already closed"),
    "bad_denomination": N_("Not a rupiah note or coin: {value}"),
    "refund_exceeds": N_("Cannot refund {qty} of {name}: only {left} left to refund"),
    "already_voided": N_("Sale {number} is already voided"),
    "kwitansi_void_document": N_("{number} is a void document; a kwitansi is made only for "
                                 "a sale"),
    "kwitansi_refund_document": N_("{number} is a refund document (money paid out); a kwitansi "
                                   "is made only for a sale"),
    "kwitansi_voided_sale": N_("Sale {number} was voided ({void}); it gets no kwitansi"),
    "kwitansi_refunded_sale": N_("Sale {number} was refunded in full; it gets no kwitansi"),
    "kwitansi_nothing_paid": N_("Nothing was paid for sale {number} (Rp0); it gets no kwitansi"),
    "kwitansi_no_buyer": N_("A kwitansi needs the name of the buyer"),
    "kwitansi_too_long": N_("\"{field}\" on a kwitansi is at most {max} characters"),
    "kwitansi_control_char": N_("\"{field}\" on a kwitansi may not hold control characters "
                                "(such as NUL, a tab or a line break)"),
    "text_control_char": N_("\"{field}\" may not hold control characters (such as NUL or a tab)"),
    "text_too_long": N_("\"{field}\" is at most {max} characters"),
    "kwitansi_copy_differs": N_("Kwitansi {number} was issued to {buyer}; a copy repeats its "
                                "buyer, institution and purpose"),
    "not_refundable": N_("Sale {number} cannot be refunded or voided: {reason}"),
    "no_backup_dir": N_("No backup folder is set"),
    "backup_failed": N_("Backup failed: {reason}"),
    "numbers_unknown": N_("This booth was restored from a backup and cannot tell which numbers "
                          "it issued after it: sync with head office, or an administrator "
                          "gives the last sale number printed (pos-app restore-marks --sale "
                          "NUMBER)"),
    "qris_bad_payload": N_("This QRIS cannot be used: {reason}"),
    "qris_amount_range": N_("A QRIS amount is whole rupiah from 1 to 13 digits, not {amount}"),
    "qris_not_set": N_("This booth has no QRIS yet: a coordinator sets it in Settings, QRIS "
                       "(or pos-app qris set)"),
    "qris_no_code_in_image": N_("No QR code could be read in {path}"),
    "qris_amount_differs": N_("The QRIS shown is not this booth's code for {amount}; show "
                              "the code again"),
    "backup_second_missing": N_("The second backup folder is not there: {folder}"),
    "backup_second_failed": N_("The backup could not be copied to the second folder "
                               "{folder}: {reason}"),
    "backup_other_device": N_("This backup belongs to device {device}, not to this one ({ours})"),
    "backup_other_device_confirm": N_("This backup belongs to device {device}, not to this one "
                                      "({ours}); to restore it anyway, give --other-device "
                                      "{device} --this-device {ours}"),
    "backup_exists": N_("{path} already exists; choose another name, or give --force to "
                        "replace that backup file"),
    "backup_not_a_file": N_("{path} is not a regular file; a backup is never written there"),
    "audit_broken": N_("The journal is broken at event {index} ({reason})"),
    "audit_truncated": N_("Journal truncated tail: events {first}..{last} missing (anchor "
                          "from {source})"),
    "audit_rewritten": N_("Journal rewritten after anchor {index} (anchor from {source})"),
    "audit_unchecked": N_("Journal events {first}..{last} were keyed with a secret this "
                          "computer does not hold: they cannot be checked here"),
    "journal_not_extended": N_("This booth's journal (head #{index}) does not extend the "
                               "chain head office holds (head #{held}): it was re-written or "
                               "cut, and its journal events from #{first} on were refused"),
    "journal_secret_unavailable": N_("The journal cannot be written: this device's journal "
                                     "secret is unreadable ({reason})"),
    "reason_required": N_("Give a reason"),
    "nothing_to_refund": N_("Choose at least one line and quantity to refund"),
    "unknown_sale_line": N_("Sale {number} has no line {line}"),
    "bad_line_arg": N_("Expected LINE=QTY, got {arg}"),
    "unknown_shift": N_("No such shift: {shift}"),
    "shift_open": N_("That shift is still open; close it first to get its Z report"),
    "count_mismatch": N_("The cash counted by denomination adds up to {counted}, not {amount}"),
    "bad_user_name": N_("A user name is 1 to {max} characters"),
    "weak_pin": N_("That PIN is too easy to guess (one digit repeated or a run such as "
                   "1234); choose another"),
    "pin_reused": N_("The new PIN must not be {name}'s previous PIN"),
    "last_admin": N_("{name} is the last active administrator; make someone else an "
                     "administrator first"),
    "secret_unavailable": N_("PINs cannot be checked: this device's secret is missing or "
                             "wrong ({reason})"),
    "unknown_facility_code": N_("Unknown facility: {code}"),
    "wrong_facility": N_("{ref} belongs to another facility, not {facility}"),
    "note_required": N_("Give the number of the facility's delivery note"),
    "nothing_to_receive": N_("Add at least one product and quantity to receive"),
    "nothing_to_adjust": N_("Add at least one product and quantity to adjust"),
    "bad_reason": N_("Unknown reason {reason}: use one of {choices}"),
    "count_open": N_("Count {number} of {facility} is still open; approve or cancel it first"),
    "count_closed": N_("Count {number} is already closed"),
    "unknown_count": N_("No stock count numbered {number}"),
    "nothing_counted": N_("Nothing has been counted yet"),
    "negative_stock": N_("{facility} has products below zero ({skus}); count them first"),
    "nothing_to_return": N_("{facility} has nothing left to return"),
    "unknown_stock_document": N_("No stock document numbered {number}"),
    "no_open_count": N_("{facility} has no open stock count"),
    "bad_reason_arg": N_("Expected SKU=REASON, got {arg}"),
    "bad_date": N_("Not a date (use YYYY-MM-DD): {value}"),
    "insufficient_stock": N_("Only {on_hand} of {name} in stock; selling below zero is "
                             "blocked by the settings"),
    "unknown_category": N_("Unknown category: {code}"),
    "bad_product_name": N_("A product name is 1 to {max} characters"),
    "unknown_tax_mode": N_("Unknown tax mode {mode}: use none, included or added"),
    "bad_product": N_("Bad {field}: {reason}"),
    "bad_count_qty": N_("A counted quantity must be a whole number from 0 to {max}: {qty}"),
    "bad_adjust_qty": N_("An adjustment must be a whole number from -{max} to {max}, not 0: "
                         "{qty}"),
    "bad_shares": N_("The PNBP, premi, modal and program percentages must add up to 100, "
                     "not {total}"),
    "not_reconcilable": N_("That payment does not need confirming"),
    "already_matched": N_("The payment of sale {number} is already confirmed"),
    "match_amount": N_("The statement line ({statement}) is not the amount paid on {number} "
                       "({amount})"),
    "statement_line_used": N_("Statement line {reference} is already matched to another payment"),
    "statement_no_source": N_("Name the statement source (for example BRI QRIS), so its "
                              "columns are remembered"),
    "statement_no_date_column": N_("Choose the column that holds the date"),
    "statement_no_amount_column": N_("Choose either the amount column or the credit column "
                                     "(only money in counts)"),
    "cannot_write": N_("Cannot write {path}: {reason}"),
    "file_failed": N_("Cannot use the file {path}: {reason}; nothing was changed"),
    "export_cancelled": N_("The export was cancelled; nothing was written"),
    "export_exists": N_("{path} already exists and is not empty; choose a new folder"),
    "unknown_event": N_("Unknown event: {event}"),
    "ambiguous_event": N_("More than one event is called {event}; give its id"),
    "bad_label_layout": N_("A label sheet needs 1 to {max} columns and rows that fit on the "
                           "page: {cols} x {rows}"),
    "bad_period": N_("The period starts after it ends: {start} to {end}"),
    "no_sales_to_settle": N_("No sales to settle in this period"),
    "central_bad_url": N_("Not a PostgreSQL address (use postgresql://USER@HOST:PORT/DATABASE"
                          "?sslmode=verify-full)"),
    "central_unreachable": N_("Cannot reach the central database: {reason}"),
    "central_untrusted": N_("The central database's certificate is not trusted or does not name "
                            "this server: {reason}"),
    "central_denied": N_("The central database refused: {reason}"),
    "central_failed": N_("The central database reported an error; nothing was changed: {reason}"),
    "central_busy": N_("Head office is busy (another sync holds the catalog, or its "
                       "connections are all in use); the sync will try again later: {reason}"),
    "central_newer": N_("The central database was made by a newer version of Lapak ({revision})"),
    "central_not_ready": N_("The central database is not set up (revision {revision}); run "
                            "`pos-app central init` first"),
    "bad_device_code": N_("Not a device code (like KPG-01): {code}"),
    "device_registered": N_("Device {code} ({device}) is already registered centrally"),
    "device_not_registered": N_("No device {code} is registered centrally"),
    "device_revoked": N_("Device {code} was revoked on {when}; nothing was imported"),
    "reissue_revoked": N_("Device {code} was revoked on {when}; its enrollment cannot be "
                          "reissued and nothing was changed"),
    "enrollment_unreadable": N_("Cannot read the enrollment file {path}: {reason}"),
    "enrollment_malformed": N_("{path} is not a valid Lapak enrollment file (bad {field})"),
    "enrollment_tampered": N_("The enrollment file {path} was changed or damaged after head "
                              "office made it; ask for a new one"),
    "enrollment_wrong_device": N_("The enrollment file is for device {code} ({file_device}), "
                                  "not this booth ({device})"),
    "ca_unreadable": N_("Cannot read the CA certificate {path}: {reason}"),
    "ca_invalid": N_("{path} is not a CA certificate in PEM form: {reason}"),
    "catalog_version_unusable": N_("Head office cannot use that catalog version (it is not a "
                                   "proposal waiting, or was never in use); nothing was "
                                   "changed: {reason}"),
    "catalog_parent_unpublished": N_("That product's facility or category is not in head "
                                     "office's catalog yet; accept or publish it first; "
                                     "nothing was changed: {reason}"),
    "catalog_reason_required": N_("Give a reason for the booth (--reason TEXT); nothing was "
                                  "changed"),
    "central_ca_required": N_("Booths can check the server with sslmode verify-ca only against "
                              "its CA certificate: give --ca FILE (or use verify-full)"),
    "secret_store_failed": N_("The central password could not be stored: {reason}"),
    "bundle_not_enrolled": N_("This booth is not enrolled with the central database, so it "
                              "has no bundle key; run `pos-app enroll FILE` first"),
    "bundle_damaged": N_("The bundle {path} is damaged or incomplete; nothing was imported"),
    "bundle_unknown_device": N_("The bundle {path} names device {device}, which the central "
                                "database does not know; nothing was imported"),
    "bundle_bad_signature": N_("The bundle {path} is not signed by device {code} (changed or "
                               "damaged); nothing was imported"),
    "bundle_bad_checksum": N_("The bundle {path} fails its SHA-256 checksum; nothing was "
                              "imported"),
    "bundle_manifest_mismatch": N_("The bundle {path} does not match its own manifest "
                                   "({what}); nothing was imported"),
    "bundle_ack_unwritten": N_("The bundle {path} was imported ({new} new, {old} already there, "
                               "{held} quarantined), but its acknowledgement could not be "
                               "written to {ack}: {reason}. Copy the bundle to a writable "
                               "folder and import that copy again: nothing is imported twice, "
                               "and the acknowledgement is written beside it"),
    "ack_invalid": N_("The acknowledgement {path} is damaged, changed or not for this booth; "
                      "nothing was marked"),
    "ack_not_head_office": N_("The acknowledgement {path} is not signed by head office "
                              "(changed, or signed with another key); nothing was marked"),
    "ack_no_head_office_key": N_("This booth was enrolled before head office signed "
                                 "acknowledgements, so it cannot check {path}; nothing was "
                                 "marked. Head office writes this booth a new enrollment "
                                 "file with `pos-app central reissue {code}`; enroll it with "
                                 "`pos-app enroll FILE`"),
    "ack_unknown_bundle": N_("The acknowledgement {path} names a bundle this booth never "
                             "exported; nothing was marked"),
    "ack_not_in_bundle": N_("The acknowledgement {path} names records its bundle did not "
                            "carry; nothing was marked"),
    "photo_not_image": N_("{path} is not a picture (use a JPEG or PNG photo); nothing was "
                          "changed"),
    "photo_damaged": N_("The picture {path} is damaged or incomplete; nothing was changed"),
    "photo_too_big": N_("{path} is larger than {max} MB; use a smaller photo; nothing was "
                        "changed"),
    "photo_too_many_pixels": N_("The picture {path} has more than {max} megapixels; use a "
                                "smaller photo; nothing was changed"),
}

# Row-level import problems (reported per row and column, translated the same way).
ROW_MESSAGES: dict[str, str] = {
    "required": N_("a value is required"),
    "not_integer": N_("not a whole number: {value}"),
    "out_of_range": N_("out of range: {value}"),
    "bad_barcode": N_("not a valid EAN-13/EAN-8/UPC barcode: {value}"),
    "duplicate": N_("appears twice in the file: {value}"),
    "missing_column": N_("the file has no such column"),
    "bad_date": N_("not a date in the form {format}: {value}"),
    "bad_time": N_("not a time of day (HH:MM): {value}"),
    "not_amount": N_("not an amount of rupiah: {value}"),
    "fractional_rupiah": N_("has a fraction of a rupiah: {value}"),
    "barcode_taken": N_("barcode already belongs to {sku}"),
    "unknown_facility": N_("unknown facility: {value}"),
    "unknown_choice": N_("must be one of {choices}: {value}"),
    "too_long": N_("longer than {max} characters"),
    "control_char": N_("holds a control character (such as NUL or a tab)"),
    "bad_share": N_("not a percentage from 0 to 100 with at most two decimals: {value}"),
    "shares_incomplete": N_("give all four percentages (pnbp, premi, modal, program) or none"),
    "shares_total": N_("the percentages add up to {total}, not 100"),
    "boolean_cell": N_("a TRUE/FALSE cell, not a number: {value}"),
    "date_cell": N_("a date cell, not a number: {value}"),
    "formula_cell": N_("a formula, not a value: {value}"),
    "photo_path": N_("must name a file in the catalog file's folder (no .. and no absolute "
                     "path): {value}"),
    "photo_missing": N_("no such file beside the catalog file: {value}"),
    "photo_not_image": N_("not a picture (use a JPEG or PNG photo): {value}"),
    "photo_damaged": N_("a damaged or incomplete picture: {value}"),
    "photo_too_big": N_("a file larger than {max} MB: {value}"),
    "photo_too_many_pixels": N_("a picture of more than {max} megapixels: {value}"),
}


# The reasons the system gives most often for a file it cannot read or write, in words the
# app translates (anything else keeps the system's own words).
OS_REASONS: dict[int, str] = {
    errno.ENOENT: N_("there is no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EROFS: N_("the disk is read-only"),
    errno.ENOSPC: N_("the disk is full"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.ENOTDIR: N_("part of the path is not a folder"),
    errno.EEXIST: N_("part of the path is a file, not a folder"),  # from making its folders
}
