"""docs/api.md, written from the OpenAPI schema so that the two cannot drift apart.

``manage.py api_docs`` rewrites the file; a test fails when the file differs from what the
current schema gives. Parameter values that come from the database (vocabularies, editions)
are not listed here: /api/v1/vocabularies/, /api/v1/editions/ and /api/schema/ give them.
"""

from drf_spectacular.generators import SchemaGenerator

INTRODUCTION = """\
# The public API and open data

<!-- Generated from the OpenAPI schema by `manage.py api_docs`; do not edit by hand
(a test fails when this file and the schema differ). -->

The EPSA Portal case library can be read by programs as well as by people:

- **Read API, version 1**, under `/api/v1/`: JSON, anonymous, read-only (`GET`/`HEAD`; any
  other method answers `405`). Its OpenAPI 3 schema is at `/api/schema/` (YAML; JSON with
  `?format=json` or `Accept: application/vnd.oai.openapi+json`), browsable at `/api/docs/`
  (Swagger UI) and `/api/redoc/` (Redoc).
- **Citations**: each case page shows APA and Chicago citations and offers BibTeX
  (`/library/<slug>/cite.bib`), RIS (`cite.ris`) and CSL-JSON (`cite.json`);
  `/library/export.bib`, `/library/export.ris` and `/library/export.csl.json` cite the cases of
  any library search (the same parameters as `/library/`), at most {citation_limit} cases per
  download, in the search's order.
- **Follow a search**: `/library/feed/?<the parameters of /library/>` is an Atom feed of the
  {feed_size} most recently published cases matching the search.
- **The whole library as a dataset**: `/library/data/` offers a Frictionless Data Package
  (`datapackage.json` and the tables `cases`, `partners`, `collaboration_types`,
  `factor_profiles`, `editions` as CSV), rebuilt after each publication and by
  `manage.py build_data_package`.
- **Machine-readable pages**: case pages carry schema.org JSON-LD and a
  `<link rel="alternate" type="application/json">` to the case in the API; `/sitemap.xml` lists
  the published cases; `/robots.txt` points to it.

## Behaviour

- **Same filters as the library page.** `/api/v1/cases/` and `/api/v1/facets/` take the
  parameters of `/library/` with the same names and values (repeat a parameter for several
  values) and read the same published cases.
- **Errors are JSON.** A parameter the API cannot use answers `400` with
  `{{"status": 400, "detail": ..., "errors": {{"<parameter>": ["<message>"]}}}}` (the library
  page shows the same messages as notices); an unknown case `404`; an unknown parameter is an
  error too.
- **Cursor pages.** `/api/v1/cases/` returns `page_size` cases (default {default_size}, at most
  {max_size}) and a `next` URL with a `cursor`; follow `next` until it is `null`. Pages do not
  shift when cases are published meanwhile. The total is `count`.
- **Conditional requests.** Responses carry `ETag` and `Last-Modified`; send `If-None-Match`
  (or `If-Modified-Since`) to get `304 Not Modified` when nothing changed.
- **Throttling.** Anonymous clients may make {rate} requests per client address (configurable
  with `API_ANON_RATE`); past that the API answers `429` with a `Retry-After` header (seconds)
  and `retry_after` in the body.
- **CORS.** Any site may call the API from its pages (`Access-Control-Allow-Origin: *`, for
  `GET`, `HEAD` and `OPTIONS` only, without credentials).
- **Addresses.** A case's slug is made from its title when it is published and stays as long as
  the title does; after a title change the old slug answers `301` to the new one, in the
  library and in the API.
"""


NULL_ENUM = "#/components/schemas/NullEnum"


def _type(schema: dict) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return (
            f"[{schema['$ref'].rsplit('/', 1)[-1]}](#{schema['$ref'].rsplit('/', 1)[-1].lower()})"
        )
    for key in ("allOf", "oneOf", "anyOf"):
        if key in schema:
            parts = [
                _type(part)
                for part in schema[key]
                if part.get("$ref") != "#/components/schemas/NullEnum"
            ]
            text = " or ".join(part for part in parts if part)
            return text + (" or null" if schema.get("nullable") else "")
    kind = schema.get("type", "object")
    if kind == "array":
        text = f"array of {_type(schema.get('items', {}))}"
    else:
        text = kind
        if schema.get("format"):
            text += f" ({schema['format']})"
    if "minimum" in schema or "maximum" in schema:
        text += f", {schema.get('minimum', '')}..{schema.get('maximum', '')}"
    if schema.get("nullable"):
        text += " or null"
    return text


def _cell(text) -> str:
    return " ".join(str(text or "").split()).replace("|", "\\|")


def render(schema: dict, *, settings_values: dict) -> str:
    lines = [INTRODUCTION.format(**settings_values)]
    lines.append("## Endpoints\n")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            lines.append(f"### `{method.upper()} {path}`\n")
            if operation.get("summary"):
                lines.append(f"**{operation['summary']}.** {operation.get('description', '')}\n")
            parameters = operation.get("parameters", [])
            if parameters:
                lines.append("| parameter | in | type | meaning |")
                lines.append("| --- | --- | --- | --- |")
                for parameter in parameters:
                    lines.append(
                        f"| `{parameter['name']}` | {parameter['in']} | "
                        f"{_cell(_type(parameter.get('schema', {})))} | "
                        f"{_cell(parameter.get('description'))} |"
                    )
                lines.append("")
            lines.append("| status | meaning | body |")
            lines.append("| --- | --- | --- |")
            for status, response in operation["responses"].items():
                body = response.get("content", {}).get("application/json", {}).get("schema", {})
                lines.append(
                    f"| {status} | {_cell(response.get('description'))} | {_cell(_type(body))} |"
                )
            lines.append("")
    lines.append("## Objects\n")
    for name, component in schema["components"]["schemas"].items():
        lines.append(f"### {name}\n")
        if component.get("description"):
            lines.append(_cell(component["description"]) + "\n")
        if "enum" in component:
            values = ", ".join(f"`{value}`" for value in component["enum"] if value is not None)
            lines.append(f"One of: {values}.\n")
            continue
        required = set(component.get("required", []))
        lines.append("| field | type | meaning |")
        lines.append("| --- | --- | --- |")
        for field, spec in component.get("properties", {}).items():
            mark = "" if field in required else " (optional)"
            lines.append(
                f"| `{field}`{mark} | {_cell(_type(spec))} | {_cell(spec.get('description'))} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def api_markdown() -> str:
    """docs/api.md as the current schema and settings give it."""
    from django.conf import settings

    from cases.domain.queries.public_api import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
    from cases.interfaces.citations import CITATION_EXPORT_LIMIT
    from cases.interfaces.feeds import FEED_SIZE

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        schema,
        settings_values={
            "citation_limit": CITATION_EXPORT_LIMIT,
            "feed_size": FEED_SIZE,
            "default_size": DEFAULT_PAGE_SIZE,
            "max_size": MAX_PAGE_SIZE,
            "rate": settings.API_ANON_RATE,
        },
    )
