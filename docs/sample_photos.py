"""Sample product pictures for the documentation pictures: flat illustrations drawn here with
Pillow, not photographs of real goods (the demo catalog ships without pictures).

    .venv/bin/python docs/sample_photos.py [--out DIR]      (writes the PNGs, to look at them)

The picture scripts (docs/make_display_pictures.py, docs/make_grid_picture.py) call
:func:`give_sample_photos`: it draws the pictures into a temporary folder and gives them to
the demo products through the app's own ``set_photo``, as a coordinator would with real
photos. Eight products: six of Lapas Kelas IIB Ende (the coffees, the ikat sarong, the
kompiang, the Kelimutu painting, the Lamalera boat), a hexagonal paving block and a lontar
basket of Lapas Kupang. Each picture is 480x360 (4:3), its subject in the middle so that
the grid's wide photo strip (cropped to fill) and the display's cards (shown whole) both
show it.
"""

from __future__ import annotations

import argparse
import math
import random
from collections.abc import Callable, Iterable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from pos_app.services.catalog.photos import set_photo
from pos_app.services.setup.booth import Booth

UNIT = 3  # drawn at 3x on a 400x300 grid of units, then scaled down to SIZE
SIZE = (480, 360)
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))

Point = tuple[float, float]


def font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (the app's own look) at ``size`` units; Pillow's own font without it."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), round(size * UNIT))
    return ImageFont.load_default(round(size * UNIT))


class Sketch:
    """A 400x300-unit canvas: every coordinate is in units, drawn at ``UNIT`` pixels each."""

    def __init__(self, background: str) -> None:
        self.image = Image.new("RGB", (400 * UNIT, 300 * UNIT), background)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def px(*values: float) -> list[float]:
        return [v * UNIT for v in values]

    def rect(self, box: Iterable[float], fill: str, radius: float = 0,
             outline: str | None = None, width: float = 0) -> None:
        self.draw.rounded_rectangle(self.px(*box), radius * UNIT, fill=fill, outline=outline,
                                    width=round(width * UNIT))

    def ellipse(self, box: Iterable[float], fill: str | None, outline: str | None = None,
                width: float = 0) -> None:
        self.draw.ellipse(self.px(*box), fill=fill, outline=outline, width=round(width * UNIT))

    def polygon(self, points: Iterable[Point], fill: str | None,
                outline: str | None = None, width: float = 0) -> None:
        flat = [(x * UNIT, y * UNIT) for x, y in points]
        self.draw.polygon(flat, fill=fill, outline=outline, width=round(width * UNIT))

    def line(self, points: Iterable[Point], fill: str, width: float) -> None:
        self.draw.line([(x * UNIT, y * UNIT) for x, y in points], fill=fill,
                       width=round(width * UNIT), joint="curve")

    def text(self, at: Point, said: str, size: float, fill: str, bold: bool = False,
             anchor: str = "mm") -> None:
        self.draw.text((at[0] * UNIT, at[1] * UNIT), said, font=font(size, bold), fill=fill,
                       anchor=anchor)

    def shadow(self, cx: float, y: float, half: float, color: str = "#00000022") -> None:
        """A soft oval under an object standing at ``y``."""
        layer = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        ImageDraw.Draw(layer).ellipse(self.px(cx - half, y - 7, cx + half, y + 7), fill=color)
        self.image.paste(layer, (0, 0), layer)

    def picture(self) -> Image.Image:
        return self.image.resize(SIZE, Image.Resampling.LANCZOS)


def ellipse_points(cx: float, cy: float, rx: float, ry: float, angle: float = 0,
                   start: float = 0, end: float = 360, steps: int = 48) -> list[Point]:
    turn = math.radians(angle)
    out = []
    for k in range(steps + 1):
        t = math.radians(start + (end - start) * k / steps)
        x, y = rx * math.cos(t), ry * math.sin(t)
        out.append((cx + x * math.cos(turn) - y * math.sin(turn),
                    cy + x * math.sin(turn) + y * math.cos(turn)))
    return out


def bean(sk: Sketch, cx: float, cy: float, r: float, angle: float,
         color: str = "#4B2A1A") -> None:
    """A roasted coffee bean: an oval with its crease."""
    sk.polygon(ellipse_points(cx, cy, r, r * 0.68, angle, steps=20), color)
    crease = ellipse_points(cx, cy, r * 0.8, r * 0.12, angle, 200, 340, steps=8)
    sk.line(crease, "#2A170E", max(0.8, r * 0.16))


def diamond(sk: Sketch, cx: float, cy: float, w: float, h: float, fill: str) -> None:
    sk.polygon([(cx, cy - h), (cx + w, cy), (cx, cy + h), (cx - w, cy)], fill)


# -- the pictures -------------------------------------------------------------------------

IKAT = {"ground": "#231F2E", "maroon": "#8C2B2B", "rust": "#B9542F", "ochre": "#DDA642",
        "cream": "#F1E4C6", "indigo": "#2E3A63"}


def kopi_bajawa() -> Image.Image:
    """Kopi Arabika Flores Bajawa 250 g: a kraft-paper bag with its label."""
    sk = Sketch("#F2E7D5")
    sk.rect((0, 232, 400, 300), "#E6D6BC")
    sk.shadow(200, 250, 84)
    sk.polygon([(132, 62), (268, 62), (276, 250), (124, 250)], "#B88A58")  # the bag
    sk.polygon([(132, 62), (146, 62), (140, 250), (124, 250)], "#A67A4B")  # its gusset
    sk.rect((130, 48, 270, 66), "#9C6F42", radius=2)  # the folded, sealed top
    for x in range(134, 268, 8):
        sk.line([(x, 48), (x + 4, 44), (x + 8, 48)], "#9C6F42", 2)
    sk.rect((150, 92, 256, 222), "#FBF5E8", radius=8)  # the label
    for k, x in enumerate(range(150, 256, 12)):  # an ikat band across its top
        diamond(sk, x + 6, 104, 6, 6, IKAT["maroon"] if k % 2 else IKAT["ochre"])
    sk.text((203, 134), "KOPI", 15, "#5B3A22", bold=True)
    sk.text((203, 160), "Bajawa", 25, "#3E2616", bold=True)
    sk.text((203, 186), "Arabika Flores", 10, "#6B4A30")
    sk.text((203, 205), "250 g", 10, "#6B4A30", bold=True)
    rng = random.Random(7)
    for cx, cy in ((100, 244), (112, 256), (292, 248), (304, 238), (286, 260), (88, 258)):
        bean(sk, cx, cy, 8, rng.uniform(0, 180))
    return sk.picture()


def biji_sangrai() -> Image.Image:
    """Kopi Arabika Bajawa Biji Sangrai 500 g: a wooden bowl heaped with roasted beans."""
    sk = Sketch("#E5EDE4")
    sk.rect((0, 236, 400, 300), "#CFDCCD")
    sk.shadow(200, 252, 110)
    rng = random.Random(3)
    heap = []
    for _ in range(150):  # a dome of beans above the rim
        x = rng.uniform(-100, 100)
        top = 150 - 62 * math.sqrt(max(0.0, 1 - (x / 104) ** 2))
        heap.append((200 + x, rng.uniform(top, 160), rng.uniform(0, 180)))
    for x, y, a in sorted(heap, key=lambda b: b[1]):
        bean(sk, x, y, 9, a, rng.choice(("#4B2A1A", "#5A321E", "#3F2315")))
    sk.polygon(ellipse_points(200, 156, 116, 22, start=0, end=180) + [(84, 156)], "#8A5A36")
    sk.polygon([(84, 156), (316, 156), (292, 228), (108, 228)], "#8A5A36")  # the bowl
    sk.polygon(ellipse_points(200, 228, 92, 18, start=0, end=180), "#7A4D2D")
    sk.line(ellipse_points(200, 156, 116, 22, start=0, end=180), "#A8744A", 4)
    for y in (182, 204):
        sk.line([(96 + (y - 156) * 0.3, y), (304 - (y - 156) * 0.3, y)], "#7A4D2D", 1.5)
    for cx, cy, a in ((62, 246, 20), (78, 258, 120), (338, 250, 60), (324, 262, 150)):
        bean(sk, cx, cy, 9, a)
    return sk.picture()


def ikat_lio() -> Image.Image:
    """Sarung Tenun Ikat Lio Ende: the woven cloth, its bands and rows of lozenges."""
    sk = Sketch("#EEE6DA")
    left, right, top, bottom = 70, 330, 22, 262
    sk.rect((left, top, right, bottom), IKAT["ground"])
    for y, color, h in ((top + 8, IKAT["maroon"], 10), (top + 20, IKAT["ochre"], 3),
                        (top + 25, IKAT["cream"], 2), (bottom - 30, IKAT["cream"], 2),
                        (bottom - 26, IKAT["ochre"], 3), (bottom - 20, IKAT["maroon"], 10)):
        sk.rect((left, y, right, y + h), color)
    for k, x in enumerate(range(left, right, 13)):  # small triangles in the border bands
        sk.polygon([(x, top + 8), (x + 13, top + 8), (x + 6.5, top + 18)],
                   IKAT["rust"] if k % 2 else IKAT["cream"])
        sk.polygon([(x, bottom - 10), (x + 13, bottom - 10), (x + 6.5, bottom - 20)],
                   IKAT["rust"] if k % 2 else IKAT["cream"])
    rows = (70, 118, 166, 214)
    for r, cy in enumerate(rows):
        colors = ((IKAT["maroon"], IKAT["ochre"], IKAT["cream"], IKAT["rust"])
                  if r % 2 == 0 else (IKAT["indigo"], IKAT["cream"], IKAT["maroon"],
                                      IKAT["ochre"]))
        offset = 0 if r % 2 == 0 else 22
        for cx in range(left + 22 + offset - 44, right + 22, 44):
            for scale, color in zip((22, 15, 9, 4), colors, strict=True):
                diamond(sk, cx, cy, scale, scale, color)
            for dx in (-22, 22):  # the hooks between lozenges
                sk.line([(cx + dx, cy - 8), (cx + dx, cy + 8)], IKAT["ochre"], 1.5)
        sk.line([(left, cy + 24), (right, cy + 24)], IKAT["rust"], 1)
    sk.image.paste("#EEE6DA", (0, 0, left * UNIT, 300 * UNIT))  # what overflows the cloth
    sk.image.paste("#EEE6DA", (right * UNIT, 0, 400 * UNIT, 300 * UNIT))
    sk.shadow(200, bottom + 8, 140, "#0000001c")
    for x in range(left + 3, right - 1, 6):  # the fringe
        sk.line([(x, bottom), (x + 1, bottom + 16)], IKAT["maroon"], 1.6)
    return sk.picture()


def kompiang() -> Image.Image:
    """Kue Kompiang: round breads with sesame on a woven tray."""
    sk = Sketch("#F4E3D3")
    sk.shadow(200, 246, 150)
    sk.ellipse((52, 96, 348, 250), "#C9A064")  # the tray
    for k in range(1, 7):
        sk.ellipse((52 + 10 * k, 96 + 5 * k, 348 - 10 * k, 250 - 5 * k), None, "#B58B50", 1.5)
    rng = random.Random(11)
    for cx, cy in ((150, 148), (250, 146), (110, 186), (200, 190), (290, 186)):
        sk.ellipse((cx - 46, cy - 26, cx + 46, cy + 30), "#A8652C")  # the crust's side
        sk.ellipse((cx - 44, cy - 28, cx + 44, cy + 24), "#D99A4E")
        sk.ellipse((cx - 34, cy - 24, cx + 22, cy + 8), "#E3AA5E")  # the light on its dome
        for _ in range(16):
            a, d = rng.uniform(0, 2 * math.pi), rng.uniform(10, 36)
            x, y = cx + d * math.cos(a), cy - 2 + d * 0.55 * math.sin(a)
            sk.polygon(ellipse_points(x, y, 2.4, 1.2, rng.uniform(0, 180), steps=8),
                       "#FFF3D6")
    return sk.picture()


def kelimutu() -> Image.Image:
    """Lukisan Danau Kelimutu: a framed painting of the three crater lakes."""
    sk = Sketch("#EDE7DC")
    sk.line([(200, 10), (120, 40)], "#8C7B66", 1.2)  # the cord and its nail
    sk.line([(200, 10), (280, 40)], "#8C7B66", 1.2)
    sk.ellipse((197, 7, 203, 13), "#6B5A48")
    sk.rect((58, 34, 342, 266), "#7A4B2A", radius=3)  # the frame
    sk.rect((66, 42, 334, 258), "#9A6A40", radius=2)
    left, top, right, bottom = 74, 50, 326, 250
    sky = Image.new("RGB", ((right - left) * UNIT, (bottom - top) * UNIT))
    shade = ImageDraw.Draw(sky)
    for y in range(sky.height):  # dawn over the ridges
        t = y / sky.height
        shade.line([(0, y), (sky.width, y)], fill=(int(250 - 70 * t), int(214 - 10 * t),
                                                   int(170 + 60 * t)))
    sk.image.paste(sky, (left * UNIT, top * UNIT))
    sk.polygon([(left, 130), (120, 96), (170, 112), (230, 84), (290, 104), (right, 92),
                (right, bottom), (left, bottom)], "#6E86A8")  # far mountains
    sk.polygon([(left, 160), (130, 138), (200, 150), (260, 132), (right, 150),
                (right, bottom), (left, bottom)], "#5D7A52")  # the crater rim
    sk.polygon([(left, 196), (140, 178), (220, 186), (right, 174), (right, bottom),
                (left, bottom)], "#7E8F4F")
    sk.ellipse((108, 150, 178, 172), "#5B3A2E")  # Tiwu Ata Polo, dark and far
    sk.ellipse((120, 186, 214, 218), "#3FB8A6")  # Tiwu Nuwa Muri Koo Fai, turquoise
    sk.ellipse((206, 168, 300, 200), "#1F6F66")  # Tiwu Ata Mbupu, deep green
    for box in ((136, 194, 170, 200), (226, 176, 262, 182)):  # the light on the water
        sk.ellipse(box, "#9CE3D6" if box[0] < 200 else "#4E9A8F")
    sk.polygon([(left, 226), (160, 214), (250, 222), (right, 210), (right, bottom),
                (left, bottom)], "#4F6B3A")
    sk.ellipse((280, 62, 304, 86), "#FFE3A3")  # the rising sun
    return sk.picture()


def perahu() -> Image.Image:
    """Miniatur Perahu Peledang Lamalera: the wooden boat with its palm-leaf sail, on a
    stand."""
    sk = Sketch("#DCEBF2")
    for y in (206, 220):  # the sea behind, as a pattern
        sk.line([(x, y + 3 * math.sin(x / 12)) for x in range(0, 401, 4)], "#BBD6E3", 2)
    sk.rect((0, 236, 400, 300), "#C9DDE6")
    sk.shadow(200, 252, 120)
    sk.rect((168, 196, 176, 236), "#6D4B30")  # the stand
    sk.rect((224, 196, 232, 236), "#6D4B30")
    sk.rect((132, 234, 268, 248), "#6D4B30", radius=3)
    sk.line([(206, 196), (206, 40)], "#5C3B23", 3)  # the mast
    sail = [(150, 56), (276, 40), (268, 168), (144, 176)]  # the rectangular leaf sail
    sk.polygon(sail, "#D9C08A")
    for k in range(1, 8):  # the woven leaves
        t = k / 8
        sk.line([(150 + 126 * t, 56 - 16 * t), (144 + 124 * t, 176 - 8 * t)], "#BFA26B", 1.2)
    for k in range(1, 6):
        t = k / 6
        sk.line([(150 - 6 * t, 56 + 120 * t), (276 - 8 * t, 40 + 128 * t)], "#BFA26B", 1.2)
    sk.polygon(sail, None, "#A88A52", 1.5)
    bottom = [(296 - 192 * k / 12, 192 + 14 * math.sin(math.pi * k / 12)) for k in range(13)]
    hull = [(84, 146), (118, 176), (282, 176), (316, 146), (296, 192)] + bottom
    sk.polygon(hull, "#8B5A34")  # the hull, high at both ends
    sk.line([(92, 158), (120, 182), (280, 182), (308, 158)], "#F2EBDD", 4)  # painted bands
    sk.line([(100, 172), (122, 190), (278, 190), (300, 172)], "#B33A2E", 3)
    sk.polygon([(80, 132), (86, 132), (106, 170), (98, 172)], "#5C3B23")  # the prow posts
    sk.polygon([(320, 132), (314, 132), (294, 170), (302, 172)], "#5C3B23")
    return sk.picture()


def paving() -> Image.Image:
    """Paving Block Segi Enam: hexagonal concrete blocks, laid together."""
    sk = Sketch("#EFE6D2")
    squash, r, depth = 0.5, 34, 16

    def hexagon(cx: float, cy: float) -> list[Point]:
        return [(cx + r * math.cos(math.radians(60 * k)),
                 cy + r * squash * math.sin(math.radians(60 * k))) for k in range(6)]

    def block(cx: float, cy: float, top: str) -> None:
        face = hexagon(cx, cy)
        for a, b, shade in ((0, 1, "#8F8C85"), (1, 2, "#A3A099"), (2, 3, "#8F8C85")):
            sk.polygon([face[a], face[b], (face[b][0], face[b][1] + depth),
                        (face[a][0], face[a][1] + depth)], shade)
        sk.polygon(face, top, "#8A877F", 1)

    dx, dy = r * 1.5, r * squash * math.sqrt(3)
    cells = [(c, row) for row in range(-1, 4) for c in range(-3, 4)]
    sk.shadow(200, 262, 150, "#00000018")
    for c, row in sorted(cells, key=lambda cell: (cell[1] + (cell[0] % 2) / 2, cell[0])):
        cx, cy = 200 + c * dx, 120 + row * dy + (dy / 2 if c % 2 else 0)
        if abs(cx - 200) + abs(cy - 180) * 1.6 > 190:
            continue
        block(cx, cy, "#BDBAB2" if (c + row) % 3 else "#C9C6BE")
    return sk.picture()


def bakul_lontar() -> Image.Image:
    """Bakul Anyaman Daun Lontar: a basket of plaited lontar leaf with a dyed band."""
    sk = Sketch("#DDEBE6")
    sk.rect((0, 240, 400, 300), "#C8DCD5")
    sk.shadow(200, 254, 100)
    body = [(100, 92), (300, 92), (274, 250), (126, 250)]
    weave = Image.new("RGB", sk.image.size, "#E2C27C")
    pattern = ImageDraw.Draw(weave)
    cell = 10 * UNIT
    for i in range(0, 400 * UNIT, cell):
        for j in range(0, 300 * UNIT, cell):
            if (i // cell + j // cell) % 2:
                pattern.rectangle((i, j, i + cell - 1, j + cell - 1), fill="#C99A4E")
                pattern.line((i + cell // 2, j + 2, i + cell // 2, j + cell - 2),
                             fill="#B88A43", width=UNIT)
            else:
                pattern.line((i + 2, j + cell // 2, i + cell - 2, j + cell // 2),
                             fill="#D4B06A", width=UNIT)
    for j, color in ((120, IKAT["maroon"]), (140, IKAT["ground"])):  # the dyed strips
        for i in range(0, 400 * UNIT, cell):
            if (i // cell) % 2 == (j // 10) % 2:
                pattern.rectangle((i, j * UNIT, i + cell - 1, (j + 10) * UNIT - 1), fill=color)
    mask = Image.new("L", sk.image.size, 0)
    ImageDraw.Draw(mask).polygon([(x * UNIT, y * UNIT) for x, y in body], fill=255)
    sk.image.paste(weave, (0, 0), mask)
    sk.polygon(ellipse_points(200, 250, 74, 8, start=0, end=180), "#B88A43")  # the base
    sk.ellipse((94, 80, 306, 104), "#8E6A34")  # the rim, and inside the basket
    sk.ellipse((104, 84, 296, 100), "#6F5127")
    sk.line(ellipse_points(200, 92, 106, 12, start=0, end=180), "#A57A3C", 5)
    return sk.picture()


# (SKU, file name, drawing)
SAMPLES: tuple[tuple[str, str, Callable[[], Image.Image]], ...] = (
    ("KOP-001", "kopi-bajawa.png", kopi_bajawa),
    ("KOP-007", "kopi-biji-sangrai.png", biji_sangrai),
    ("TEN-008", "sarung-ikat-lio.png", ikat_lio),
    ("MAK-006", "kue-kompiang.png", kompiang),
    ("LUK-003", "lukisan-kelimutu.png", kelimutu),
    ("MIN-004", "perahu-lamalera.png", perahu),
    ("BAN-001", "paving-segi-enam.png", paving),
    ("ANY-007", "bakul-lontar.png", bakul_lontar),
)


def draw_samples(folder: Path) -> dict[str, Path]:
    """Draw every sample picture into ``folder``; the files by SKU."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for sku, name, make in SAMPLES:
        files[sku] = folder / name
        make().save(files[sku])
    return files


def give_sample_photos(booth: Booth, folder: Path, actor: str = "Maria") -> list[str]:
    """Draw the pictures into ``folder`` and set each as its demo product's photo (as the
    coordinator ``actor``); the SKUs that got one."""
    return [set_photo(booth, sku, path, actor=actor, actor_role="coordinator").sku
            for sku, path in draw_samples(folder).items()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("sample-photos"))
    args = parser.parse_args(argv)
    for sku, path in draw_samples(args.out).items():
        print(f"{sku}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
