"""What the walkthrough's cashier sells, counts and types (the NTT demo catalog's products)."""

ARABIKA = "Kopi Arabika Flores Bajawa 250 g"  # tapped on the grid
PAVING, PAVING_CODE = "Paving Block Segi Enam (per buah)", "8994101000514"  # scanned
SELENDANG = "Selendang Tenun Ikat Sumba"  # searched for
ROBUSTA, ROBUSTA_CODE = "Kopi Robusta Manggarai 200 g", "8994110000024"  # 3 * scan
JAHE, JAHE_CODE = "Kopi Jahe Timor 200 g", "8994105000060"  # the next buyer's
FLOAT = {50_000: 2, 20_000: 5}  # Rp200.000 in the drawer at the start
DRAWER = {100_000: 3, 50_000: 1, 20_000: 1, 10_000: 1, 5_000: 1}  # counted at the close
CASH_PART = 500_000  # of the split payment; the rest by QRIS
MARIA_PIN, KASIR_PIN, ADMIN_PIN = "2468", "1234", "909090"
