#!/usr/bin/env bash
# Every document from the frozen binary, checked with independent tools.
#
#   bash .ci/smoke_docs.sh BIN WORKDIR
#
# Runs BIN (dist/lapak-pos/lapak-pos, or the one unpacked from the .tar.gz) from WORKDIR, an
# unrelated empty directory, on a fresh demo database: init --demo, users, a shift, two sales
# (one voided), a QRIS sale and its per-sale QRIS as a PNG, receipt --pdf, a pdf:// printer, a kwitansi, stock labels, a tanda terima, a
# stock count sheet and variance report, shift report --x --pdf and --z --pdf, report
# settlement --pdf, export --format pdf / xlsx / pack. Then every PDF must pass `qpdf --check`
# and embed every font `pdffonts` lists; the receipt QR and every price tag must decode with
# zbarimg (pdftoppm -r 200) to the sale and the product codes; the XLSX files must open with
# openpyxl (PY, default .venv/bin/python) and, when soffice is installed, convert to CSV.
# Tools: qpdf, poppler-utils, zbar-tools (.ci/lib.sh APT_TEST_TOOLS). Exits non-zero on the
# first failure, naming it.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
BIN="${1:?usage: smoke_docs.sh BIN WORKDIR}"
WORK="${2:?usage: smoke_docs.sh BIN WORKDIR}"
PY="${PY:-$ROOT/.venv/bin/python}"
DB="$WORK/docs.db"
OUT="$WORK/out"
mkdir -p "$OUT"

die()  { printf '\033[31mERROR:\033[0m smoke_docs: %s\n' "$*" >&2; exit 1; }
ok()   { printf '    ok  %s\n' "$*"; }
for tool in qpdf pdffonts pdftoppm zbarimg; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install qpdf poppler-utils zbar-tools)"
done

# lapak [STDIN] ARGS...: the binary from WORKDIR, English messages; output in $LAST.
lapak() {
    local input="" rc
    if [ "$1" = "--stdin" ]; then input="$2"; shift 2; fi
    set +e
    LAST=$(cd "$WORK" && printf '%s\n' "$input" | timeout 120 "$BIN" --db "$DB" --lang en "$@" 2>&1)
    rc=$?
    set -e
    printf '%s\n' "$LAST" | sed 's/^/    | /'
    [ "$rc" = 0 ] || die "lapak-pos $* exited $rc"
}

json_field() { "$PY" -c 'import json, sys; print(json.loads(sys.stdin.read())[sys.argv[1]])' "$1"; }

check_pdf() {  # FILE: a sound PDF that embeds every font it declares
    local pdf="$1" fonts bare
    [ -s "$pdf" ] || die "$pdf was not written"
    [ "$(head -c 5 "$pdf")" = "%PDF-" ] || die "$pdf is not a PDF"
    qpdf --check "$pdf" >/dev/null 2>&1 || { qpdf --check "$pdf" >&2 || true; die "qpdf --check failed on $pdf"; }
    fonts=$(pdffonts "$pdf" | tail -n +3)
    [ -n "$fonts" ] || die "$pdf declares no font"
    # the "emb" column is the 5th from the end (names may not contain spaces in pdffonts output)
    bare=$(awk '$(NF-4) != "yes" { print $1 }' <<<"$fonts")
    [ -z "$bare" ] || die "$pdf declares fonts it does not embed: $bare"
    ok "$(basename "$pdf"): qpdf --check, fonts embedded ($(awk '{print $1}' <<<"$fonts" | paste -sd, -))"
}

check_codes() {  # PDF EXPECTED...: zbarimg finds exactly these symbols (TYPE:VALUE)
    local pdf="$1" dir got want
    shift
    dir=$(mktemp -d "$WORK/png.XXXX")
    pdftoppm -r 200 -png "$pdf" "$dir/page"
    got=$(for page in "$dir"/page*.png; do zbarimg -q "$page" 2>/dev/null || true; done | sort)
    want=$(printf '%s\n' "$@" | sort)
    [ "$got" = "$want" ] || die "$(basename "$pdf"): zbarimg read [$got], expected [$want]"
    ok "$(basename "$pdf"): zbarimg decodes $# symbol(s)"
}

check_xlsx() {  # FILE: opens with openpyxl, has a non-empty sheet; soffice converts it
    local xlsx="$1"
    [ -s "$xlsx" ] || die "$xlsx was not written"
    "$PY" - "$xlsx" <<'PY' || die "openpyxl cannot read $xlsx"
import sys
from openpyxl import load_workbook
book = load_workbook(sys.argv[1], read_only=True)
rows = {ws.title: sum(1 for _ in ws.iter_rows()) for ws in book.worksheets}
assert rows and max(rows.values()) > 1, rows
print("    ok  " + sys.argv[1].rsplit("/", 1)[-1] + ": openpyxl reads " + ", ".join(f"{k} ({v} rows)" for k, v in rows.items()))
PY
    if command -v soffice >/dev/null; then
        local dir
        dir=$(mktemp -d "$WORK/csv.XXXX")
        timeout 120 soffice --headless -env:UserInstallation="file://$dir/profile" \
            --convert-to csv --outdir "$dir" "$xlsx" >/dev/null 2>&1 || die "soffice cannot convert $xlsx"
        [ -s "$dir/$(basename "${xlsx%.xlsx}").csv" ] || die "soffice wrote no CSV for $xlsx"
        ok "$(basename "$xlsx"): LibreOffice converts it to CSV"
    fi
}

# --- the documents ----------------------------------------------------------------------------
lapak init --demo
lapak --stdin 4826 user add Ani --role cashier
lapak --stdin 5937 user add Bos --role admin
lapak shift open --cashier Ani --float 200000
lapak --json sell --item KOP-001=1 --pay cash=100000 --cashier Ani
SALE_ID=$(json_field id <<<"$LAST")
SALE_NO=$(json_field number <<<"$LAST")
lapak --json sell --item KOP-002=2 --pay cash=90000 --cashier Ani
VOIDED_NO=$(json_field number <<<"$LAST")
lapak void "$VOIDED_NO" --reason "salah input" --cashier Bos
# The booth's QRIS (a published static example), a QRIS sale keeping the per-sale payload it
# showed, and that payload's QR code as a PNG: zbarimg must read back the very same text.
QRIS_STATIC="00020101021126640018ID.CO.ASTRAPAY.WWW011893600822321000024002092100002400303UBE51440014ID.CO.QRIS.WWW0215ID20210662463920303UBE5204581253033605802ID5915AHASS TDM Natar6007Jakarta61054433562080704AP0163042702"
lapak qris set --payload "$QRIS_STATIC" --cashier Bos
lapak --json sell --item KOP-001=1 --pay qris=85000:RRN-1 --cashier Ani
QRIS_SHOWN=$("$PY" -c 'import json, sys; print(json.loads(sys.stdin.read())["payments"][0]["qris_payload"])' <<<"$LAST")
lapak qris payload --amount 85000 --png "$OUT/qris.png"

lapak receipt "$SALE_NO" --pdf "$OUT/receipt.pdf"
lapak receipt "$VOIDED_NO" --pdf "$OUT/receipt-voided.pdf"
mkdir -p "$OUT/printer"
lapak receipt "$SALE_NO" --printer "pdf://$OUT/printer"
PRINTED=$(find "$OUT/printer" -name '*.pdf' | head -n 1)
[ -n "$PRINTED" ] || die "the pdf:// printer wrote no PDF"
lapak receipt "$SALE_NO" --pdf "$OUT/kwitansi.pdf" --kwitansi --buyer "Budi"
TAGS=(KOP-001 KOP-002 MAK-004 KER-001)
args=(); for sku in "${TAGS[@]}"; do args+=(--item "$sku=1"); done
lapak stock labels "${args[@]}" --out "$OUT/labels.pdf"
lapak stock receive --facility LPKA-KPG --note SJ-5 --item MAK-004=4 --cashier Bos
TT_NO=$(grep -o '[A-Z0-9]*-[0-9]*-TT-[0-9]*' <<<"$LAST" | head -n 1)
lapak stock print "$TT_NO" --out "$OUT/tanda-terima.pdf"
lapak stock count --facility LPKA-KPG --item MAK-004=83 --cashier Bos
SO_NO=$(grep -o '[A-Z0-9]*-[0-9]*-SO-[0-9]*' <<<"$LAST" | head -n 1)
lapak stock sheet --facility LPKA-KPG --out "$OUT/count-sheet.pdf"
lapak stock count --facility LPKA-KPG --approve --cashier Bos
lapak stock print "$SO_NO" --out "$OUT/variance.pdf"
lapak shift report --x --pdf "$OUT/x-report.pdf"
lapak shift close --count 100000=2 --cashier Ani
lapak shift report --z --pdf "$OUT/z-report.pdf"
lapak report settlement --pdf "$OUT/settlement.pdf"
lapak export --format pdf --out "$OUT/summary.pdf"
lapak export --format xlsx --out "$OUT/export.xlsx"
lapak export --format pack --out "$OUT/pack"

# --- the checks -------------------------------------------------------------------------------
printf '\n==> checking the documents\n'
for pdf in receipt receipt-voided kwitansi labels tanda-terima count-sheet variance x-report \
           z-report settlement summary; do
    check_pdf "$OUT/$pdf.pdf"
done
check_pdf "$PRINTED"
check_pdf "$OUT/pack/summary.pdf"
check_codes "$OUT/receipt.pdf" "QR-Code:LAPAK:$SALE_NO:$SALE_ID"
QRIS_READ=$(zbarimg -q --raw "$OUT/qris.png") || die "zbarimg cannot read qris.png"
[ "$QRIS_READ" = "$QRIS_SHOWN" ] || die "qris.png reads [$QRIS_READ], the sale showed [$QRIS_SHOWN]"
case "$QRIS_SHOWN" in *540585000*) ok "qris.png: zbarimg reads the sale's QRIS, carrying Rp85000" ;;
    *) die "the sale's QRIS does not carry 85000: $QRIS_SHOWN" ;; esac
check_codes "$PRINTED" "QR-Code:LAPAK:$SALE_NO:$SALE_ID"
# A price tag carries the product's EAN-13 barcode, or Code 128 of its barcode or SKU.
mapfile -t EXPECTED < <("$PY" - "$ROOT/resources/demo/products.csv" "${TAGS[@]}" <<'PY'
import csv, sys
rows = {r["sku"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
for sku in sys.argv[2:]:
    code = rows[sku]["barcode"]
    ean = len(code) == 13 and code.isdigit()
    print(f"EAN-13:{code}" if ean else f"CODE-128:{code or sku}")
PY
)
check_codes "$OUT/labels.pdf" "${EXPECTED[@]}"
check_xlsx "$OUT/export.xlsx"
check_xlsx "$OUT/pack/export.xlsx"
[ -s "$OUT/pack/manifest.json" ] || die "the pack has no manifest.json"
ls "$OUT/pack/csv/"*.csv >/dev/null 2>&1 || die "the pack has no CSV files"
ok "pack: manifest.json, $(ls "$OUT/pack/csv" | wc -l) CSV files, export.xlsx, summary.pdf"
echo "smoke_docs: every document checked"
