#!/usr/bin/env python3
"""Draw Rewire's app icons as PNG files, with the standard library only (zlib for the PNG).

The drawing is the one in rewire/static/rewire/icon.svg: a white wave on the brand's teal.
"any" icons have rounded corners; "maskable" ones fill the square and keep the wave inside
the central safe zone (a circle of 80 % of the width), since a phone may cut them to a circle.

    python3 scripts/make_icons.py    # writes rewire/static/rewire/icon-*.png

Run it again only when the drawing changes; the files it writes are committed.
"""

import struct
import zlib
from pathlib import Path

TEAL = (0x1F, 0x5F, 0x5B)
WHITE = (0xFF, 0xFF, 0xFF)
OUT = Path(__file__).resolve().parent.parent / "rewire" / "static" / "rewire"

# icon.svg's path "M6 20 c4-10 8 4 12-6 s6 2 8-2" in its 32 x 32 box, as cubic Béziers.
CURVES = [
    ((6, 20), (10, 10), (14, 24), (18, 14)),
    ((18, 14), (22, 4), (24, 16), (26, 12)),
]
STROKE = 3  # in the same 32-unit box


def wave_points(samples_per_curve=400):
    points = []
    for p0, p1, p2, p3 in CURVES:
        for step in range(samples_per_curve + 1):
            t = step / samples_per_curve
            u = 1 - t
            points.append(
                tuple(
                    u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
                    for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
                )
            )
    return points


def draw(size: int, *, maskable: bool) -> list[list[tuple[int, int, int, int]]]:
    # A maskable icon shrinks the drawing into the safe zone; an "any" icon uses it all.
    scale = size / 32 * (0.7 if maskable else 1.0)
    offset = size * (0.15 if maskable else 0.0)
    radius = STROKE / 2 * scale
    nearest = [[float("inf")] * size for _ in range(size)]
    for x, y in wave_points():
        cx, cy = offset + x * scale, offset + y * scale
        for py in range(max(0, int(cy - radius - 2)), min(size, int(cy + radius + 2))):
            row = nearest[py]
            for px in range(max(0, int(cx - radius - 2)), min(size, int(cx + radius + 2))):
                distance = ((px + 0.5 - cx) ** 2 + (py + 0.5 - cy) ** 2) ** 0.5
                if distance < row[px]:
                    row[px] = distance
    corner = 0 if maskable else 7 / 32 * size
    pixels = []
    for py in range(size):
        row = []
        for px in range(size):
            background = _inside_rounded_square(px + 0.5, py + 0.5, size, corner)
            ink = max(0.0, min(1.0, radius + 0.5 - nearest[py][px]))
            colour = tuple(round(w * ink + t * (1 - ink)) for w, t in zip(WHITE, TEAL, strict=True))
            row.append((*colour, round(255 * background)))
        pixels.append(row)
    return pixels


def _inside_rounded_square(x: float, y: float, size: int, corner: float) -> float:
    """How much of the pixel at (x, y) the rounded square covers, 0 to 1 (soft edge)."""
    if corner == 0:
        return 1.0
    cx = min(max(x, corner), size - corner)
    cy = min(max(y, corner), size - corner)
    distance = ((x - cx) ** 2 + (y - cy) ** 2) ** 0.5
    return max(0.0, min(1.0, corner + 0.5 - distance))


def png(pixels) -> bytes:
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + bytes(value for pixel in row for value in pixel) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "icon-maskable-192.png": (192, True),
    "icon-maskable-512.png": (512, True),
}


if __name__ == "__main__":
    for name, (size, maskable) in ICONS.items():
        (OUT / name).write_bytes(png(draw(size, maskable=maskable)))
        print(f"wrote {OUT / name}")
