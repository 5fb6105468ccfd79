"""``manage.py build_europe_map``: prepare the library's map of Europe once, from Natural Earth.

The shapes come from the npm package ``world-atlas`` (Natural Earth 1:50m country borders,
public domain, as TopoJSON), which ``make test-tools`` installs from package.json. This command
decodes them, keeps Europe and its neighbours, projects them (Lambert azimuthal equal-area
centred on Europe, as EU statistical maps use), clips them to the frame, simplifies them to
what a 1000-pixel drawing can show, and writes ``cases/data/europe_map.json``, which is
committed: at run time the portal only reads that file and shades its countries.
"""

import json
import math
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django_countries import countries

DEFAULT_SOURCE = Path(settings.BASE_DIR) / "node_modules" / "world-atlas" / "countries-50m.json"
DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "cases" / "data" / "europe_map.json"

# Projection centre and the frame (projected units, before scaling): Iceland to the Caspian,
# the Maghreb to the North Cape.
CENTRE_LON, CENTRE_LAT = 15.0, 52.0
FRAME = (-0.40, -0.40, 0.50, 0.37)  # x_min, y_min, x_max, y_max (y grows northwards)
WIDTH = 1000
TOLERANCE = 0.9  # pixels: Douglas-Peucker tolerance
MIN_RING_AREA = 3.0  # square pixels: smaller islands are dropped (the country's largest stays)
MARKER_AREA = 60.0  # square pixels: smaller countries also get a dot that can be clicked


def project(lon: float, lat: float) -> tuple[float, float]:
    lam, phi = math.radians(lon - CENTRE_LON), math.radians(lat)
    phi0 = math.radians(CENTRE_LAT)
    k = math.sqrt(
        2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam))
    )
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return x, y


def _scale() -> float:
    return WIDTH / (FRAME[2] - FRAME[0])


def to_pixels(point):
    x, y = point
    s = _scale()
    return (x - FRAME[0]) * s, (FRAME[3] - y) * s


def decode_arcs(topology) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def polygons_of(geometry):
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def clip(ring, box):
    """Sutherland-Hodgman clipping of a closed ring to the rectangle ``box``."""
    x_min, y_min, x_max, y_max = box
    edges = (
        (lambda p: p[0] >= x_min, lambda a, b: _cut_x(a, b, x_min)),
        (lambda p: p[0] <= x_max, lambda a, b: _cut_x(a, b, x_max)),
        (lambda p: p[1] >= y_min, lambda a, b: _cut_y(a, b, y_min)),
        (lambda p: p[1] <= y_max, lambda a, b: _cut_y(a, b, y_max)),
    )
    output = ring
    for inside, cut in edges:
        points, output = output, []
        if not points:
            break
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    output.append(cut(previous, point))
                output.append(point)
            elif inside(previous):
                output.append(cut(previous, point))
            previous = point
    return output


def _cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def simplify(points, tolerance):
    """Douglas-Peucker, iterative."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        best, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def area(points) -> float:
    return abs(
        sum(
            x1 * y2 - x2 * y1
            for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


def centroid(points):
    total = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        total += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if total == 0:
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)
    return cx / (3 * total), cy / (3 * total)


def path_data(rings) -> str:
    parts = []
    for ring in rings:
        coordinates = [f"{round(x)} {round(y)}" for x, y in ring]
        deduplicated = [c for i, c in enumerate(coordinates) if i == 0 or c != coordinates[i - 1]]
        if len(deduplicated) >= 3:
            parts.append("M" + "L".join(deduplicated) + "Z")
    return "".join(parts)


def build(source: Path) -> dict:
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    height = round((FRAME[3] - FRAME[1]) * _scale())
    margin = 4
    box = (-margin, -margin, WIDTH + margin, height + margin)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        rings = []
        for polygon in polygons_of(geometry):
            for ring in polygon:
                projected = [to_pixels(project(lon, lat)) for lon, lat in ring_points(ring, arcs)]
                clipped = clip(projected, box)
                if len(clipped) >= 3:
                    rings.append(simplify(clipped + clipped[:1], TOLERANCE)[:-1])
        rings = [ring for ring in rings if len(ring) >= 3]
        if not rings:
            continue
        largest = max(rings, key=area)
        kept = [ring for ring in rings if ring is largest or area(ring) >= MIN_RING_AREA]
        code = ""
        if str(geometry.get("id", "")).isdigit():
            code = countries.alpha2(int(geometry["id"])) or ""
        x, y = centroid(largest)
        shapes.append(
            {
                "code": code,
                "d": path_data(kept),
                "label": [round(min(max(x, 20), WIDTH - 20)), round(min(max(y, 14), height - 6))],
                "marker": sum(area(ring) for ring in kept) < MARKER_AREA,
            }
        )
    shapes.sort(key=lambda shape: (shape["code"] == "", shape["code"], shape["d"]))
    return {
        "source": "Natural Earth 1:50m countries (public domain), npm world-atlas 2.0.2",
        "projection": f"Lambert azimuthal equal-area, centre {CENTRE_LON}E {CENTRE_LAT}N",
        "width": WIDTH,
        "height": height,
        "shapes": [shape for shape in shapes if shape["d"]],
    }


class Command(BaseCommand):
    help = "Build cases/data/europe_map.json from Natural Earth shapes (npm world-atlas)."

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)

    def handle(self, *args, source, output, **options):
        data = build(source)
        output.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
        codes = [shape["code"] for shape in data["shapes"] if shape["code"]]
        self.stdout.write(f"{len(codes)} countries, {output.stat().st_size} bytes: {output}")
