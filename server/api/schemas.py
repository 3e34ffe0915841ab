"""The API's request and response shapes; they validate input and make the OpenAPI document."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_dump, validate, validates_schema

from ..edge.fields import Html, Text, Timestamp
from ..models import COLORS, Page
from ..services.limits import (
    MAX_CONTEXT,
    MAX_DOMAIN,
    MAX_INTEGER,
    MAX_NOTE,
    MAX_PDF_PAGE,
    MAX_QUERY,
    MAX_QUOTE,
    MAX_TITLE,
    MAX_URL,
)
from ..services.tags import MAX_TAG_LENGTH, MAX_TAGS

#: Documents part of what urlkeys checks (an http or https URL, spaces around it ignored), so that
#: clients, and schemathesis, make URLs the API can take.
WEB_URL = {"pattern": r"^\s*[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]"}


def tag_list(**kwargs) -> fields.List:
    return fields.List(
        Text(validate=validate.Length(min=1, max=MAX_TAG_LENGTH)),
        validate=validate.Length(max=MAX_TAGS),
        metadata={"description": "Tag names; case-insensitive, made when new."},
        **kwargs,
    )


def color(**kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(COLORS), **kwargs)


class Body(Schema):
    """A request body. Fields it does not know are ignored, not refused: an extension
    newer than this server must not have its queued highlights refused forever."""

    class Meta:
        unknown = EXCLUDE


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={
        "description": "Stable machine-readable code, e.g. invalid, not_found."})
    message = fields.String(required=True, metadata={"description": "What was wrong and what to do."})
    fields = fields.Dict(required=True, metadata={"description": "Per-field messages, for validation errors."})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)


# --- me ---------------------------------------------------------------------

class MeSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    created_at = Timestamp()


# --- tags -------------------------------------------------------------------

class TagSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    highlight_count = fields.Integer(metadata={"description": "Live highlights carrying the tag."})
    page_count = fields.Integer(metadata={"description": "Pages carrying the tag, themselves or through a live highlight."})


class TagListSchema(Schema):
    items = fields.List(fields.Nested(TagSchema))


class TagPatchSchema(Body):
    name = Text(required=True, validate=validate.Length(min=1, max=MAX_TAG_LENGTH), metadata={
        "description": "The new name. If another tag already has it (any case), the two are merged.",
    })


class TagRenamedSchema(TagSchema):
    merged = fields.Boolean(metadata={"description": "True when the tag was merged into an existing one."})


# --- highlights ---------------------------------------------------------------

class QuoteSchema(Body):
    exact = Text(required=True, validate=validate.Length(min=1, max=MAX_QUOTE))
    prefix = Text(load_default="", validate=validate.Length(max=MAX_CONTEXT))
    suffix = Text(load_default="", validate=validate.Length(max=MAX_CONTEXT))


class PositionSchema(Body):
    start = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_INTEGER))
    end = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=MAX_INTEGER))

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data["end"] < data["start"]:
            raise ValidationError("end must not be before start.", "end")


class RangeSchema(Body):
    startContainer = Text(required=True, validate=validate.Length(max=MAX_CONTEXT))
    startOffset = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    endContainer = Text(required=True, validate=validate.Length(max=MAX_CONTEXT))
    endOffset = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


class PdfPagesSchema(Body):
    first = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_PDF_PAGE),
                           metadata={"description": "The PDF page (1-based) the passage starts on."})
    last = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_PDF_PAGE),
                          metadata={"description": "The PDF page it ends on; above first when it spans pages."})

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data["last"] < data["first"]:
            raise ValidationError("last must not be before first.", "last")


def pdf_pages(**kwargs) -> fields.Nested:
    return fields.Nested(PdfPagesSchema, allow_none=True, metadata={
        "description": "On a PDF, the pages the passage is on; null on a web page."}, **kwargs)


class HighlightPutSchema(Body):
    url = Text(required=True, validate=validate.Length(min=1, max=MAX_URL), metadata={
        "description": "The page's URL as seen; the page is found (or made) by its URL key.", **WEB_URL,
    })
    title = Text(validate=validate.Length(max=MAX_TITLE), allow_none=True)
    quote = fields.Nested(QuoteSchema, required=True)
    position = fields.Nested(PositionSchema, allow_none=True)
    range = fields.Nested(RangeSchema, allow_none=True)
    pages = pdf_pages()
    color = color(load_default="yellow")
    note = Text(load_default="", validate=validate.Length(max=MAX_NOTE), metadata={"description": "Markdown."})
    tags = tag_list(load_default=list)
    created_at = Timestamp(allow_none=True)


class PatchSchema(Body):
    """A partial update: any of the fields, but at least one."""

    @validates_schema
    def _not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError(f"Send at least one of {', '.join(self.fields)}.", "_schema")


class HighlightPatchSchema(PatchSchema):
    color = color()
    note = Text(validate=validate.Length(max=MAX_NOTE))
    tags = tag_list()


class HighlightSchema(Schema):
    """A highlight; a deleted one (tombstone) has only id, deleted and updated_at."""

    id = fields.String(metadata={"description": "The client-made UUID."})
    deleted = fields.Boolean()
    page_id = fields.Integer(allow_none=True)
    url = fields.String()
    quote = fields.Nested(QuoteSchema)
    position = fields.Nested(PositionSchema, allow_none=True)
    range = fields.Nested(RangeSchema, allow_none=True)
    pages = pdf_pages()
    color = fields.String()
    note = fields.String()
    tags = fields.List(fields.String())
    created_at = Timestamp()
    updated_at = Timestamp()

    @pre_dump
    def _from_model(self, highlight, **kwargs):
        if highlight.deleted:
            return {"id": highlight.uuid, "deleted": True, "updated_at": highlight.updated_at}
        return {
            "id": highlight.uuid,
            "deleted": False,
            "page_id": highlight.page_id,
            "url": highlight.page.url if highlight.page else None,
            **highlight.selectors(),
            "color": highlight.color,
            "note": highlight.note,
            "tags": [tag.name for tag in highlight.tags],
            "created_at": highlight.created_at,
            "updated_at": highlight.updated_at,
        }


class FeedQuerySchema(Schema):
    url = Text(validate=validate.Length(max=MAX_URL),
               metadata={"description": "Only this page (by URL key).", **WEB_URL})
    page = fields.Integer(validate=validate.Range(min=1, max=MAX_INTEGER),
                          metadata={"description": "Only this page (by id)."})
    tag = Text(validate=validate.Length(max=MAX_TAG_LENGTH))
    color = color()
    q = Text(validate=validate.Length(min=1, max=MAX_QUERY), metadata={"description": "Words in the quote or note."})
    updated_after = Timestamp(metadata={"description": "Only what changed after this instant."})
    cursor = fields.String(validate=validate.Length(max=200))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class HighlightPageSchema(Schema):
    items = fields.List(fields.Nested(HighlightSchema))
    next_cursor = fields.String(allow_none=True, metadata={
        "description": "Pass as cursor for the next batch; null when there is no more now.",
    })
    sync_cursor = fields.String(metadata={
        "description": "Where this answer ends; keep it and pass it as cursor later for what changed since.",
    })


# --- pages ------------------------------------------------------------------

class PageUpsertSchema(Body):
    url = Text(required=True, validate=validate.Length(min=1, max=MAX_URL), metadata=WEB_URL)
    title = Text(validate=validate.Length(max=MAX_TITLE), allow_none=True)
    html = Html(allow_none=True, metadata={
        "description": "The page's HTML as captured; kept compressed and cleaned into a readable snapshot.",
    })
    tags = tag_list()


class PagePatchSchema(PatchSchema):
    title = Text(validate=validate.Length(min=1, max=MAX_TITLE))
    tags = tag_list()


class PageSchema(Schema):
    id = fields.Integer()
    url = fields.String()
    url_key = fields.String(metadata={"description": "The normalized URL the page is found by."})
    canonical_url = fields.String(allow_none=True)
    domain = fields.String()
    title = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    site_name = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    published = fields.String(allow_none=True)
    favicon = fields.String(allow_none=True)
    lead_image = fields.String(allow_none=True)
    word_count = fields.Integer(allow_none=True)
    tags = fields.List(fields.String())
    highlight_count = fields.Integer()
    created_at = Timestamp()
    updated_at = Timestamp()

    @pre_dump
    def _from_model(self, data, **kwargs):
        """Dumps {"page": Page, "highlight_count": int} (and "highlights" for the detail)."""
        page = data["page"]
        return {
            **{name: getattr(page, name) for name in self.fields if hasattr(Page, name) and name != "tags"},
            "tags": [tag.name for tag in page.tags],
            "highlight_count": data["highlight_count"],
            "highlights": data.get("highlights", []),
        }


class PageDetailSchema(PageSchema):
    highlights = fields.List(fields.Nested(HighlightSchema), metadata={"description": "In reading order."})


class PageListQuerySchema(Schema):
    tag = Text(validate=validate.Length(max=MAX_TAG_LENGTH))
    color = color(metadata={"description": "Pages with a live highlight of this color."})
    q = Text(validate=validate.Length(min=1, max=MAX_QUERY), metadata={"description": "Words in the title or URL."})
    domain = Text(validate=validate.Length(max=MAX_DOMAIN))
    cursor = fields.String(validate=validate.Length(max=500))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class PageListSchema(Schema):
    items = fields.List(fields.Nested(PageSchema))
    next_cursor = fields.String(allow_none=True)


class SnapshotSchema(Schema):
    page_id = fields.Integer()
    captured_at = Timestamp()
    sha256 = fields.String(metadata={"description": "Of the raw HTML as received."})
    extractor_version = fields.String()
    word_count = fields.Integer()
    content_html = fields.String(metadata={"description": "The cleaned, sanitized article."})
    text = fields.String(metadata={"description": "Plain text; blocks separated by blank lines."})
