"""Readwise API v2 shapes: request bodies and queries checked here, answers dumped and documented.

Field names, types and limits are Readwise's (readwise.io/api_deets), so a
client written for Readwise sends nothing Margins refuses that Readwise
would take. Unknown fields are ignored.
"""

import dataclasses

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate

from ..models import COLORS
from ..services import intake
from ..services.catalog import CATEGORIES, MAX_PAGE_SIZE
from ..services.errors import Invalid
from ..services.exporting.values import iso_timestamp, parse_timestamp
from ..services.importing.records import ImportFailed, check_storable
from ..services.limits import MAX_INTEGER
from ..services.pages import key_of

LOCATION_TYPES = ("page", "order", "time_offset", "location")


def _storable(value: str) -> None:
    try:
        check_storable("text", value)
    except ImportFailed:
        raise ValidationError("Contains a NUL character or an unpaired surrogate, which cannot be stored; "
                              "send valid UTF-8 text without NULs.") from None


def _web_url(value: str) -> None:
    try:
        key_of(value)
    except Invalid as error:
        raise ValidationError(error.message) from None


def string(max_length: int, min_length: int = 0, validators=(), **kwargs) -> fields.String:
    return fields.String(validate=[validate.Length(min=min_length, max=max_length), _storable, *validators],
                         **kwargs)


class Integer(fields.Integer):
    """A JSON integer: not a string of digits, a fraction or true/false."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class Moment(fields.Field):
    """An ISO 8601 time (UTC when it names no zone), written back as 2026-11-23T10:00:00.000000Z."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError("Not a valid ISO 8601 date and time.")
        try:
            return parse_timestamp(value)
        except (ValueError, OverflowError):
            raise ValidationError(f"Not a valid ISO 8601 date and time: {value[:40]!r}.") from None

    def _serialize(self, value, attr, obj, **kwargs):
        return iso_timestamp(value)


class Body(Schema):
    class Meta:
        unknown = EXCLUDE


# --- requests ---------------------------------------------------------------------------------

class PushItemSchema(Body):
    text = string(8191, 1, required=True, metadata={"description": "The highlighted text."})
    title = string(511, allow_none=True, metadata={
        "description": "The book's or article's title; highlights without title nor source_url go to "
                       f"the book '{intake.NO_TITLE}'."})
    author = string(1024, allow_none=True)
    source_url = string(2047, allow_none=True, validators=[_web_url], metadata={
        "description": "The web page the highlight is from (http or https); without it the highlight is "
                       "from a book, found by title and author."})
    source_type = string(64, allow_none=True, metadata={
        "description": "The app that sent it, e.g. koreader; kept as the source of a new book."})
    category = fields.String(allow_none=True, validate=validate.OneOf(CATEGORIES))
    note = string(8191, allow_none=True, metadata={
        "description": "Replaces the highlight's note; when left out, a note already kept stays."})
    location = Integer(allow_none=True, validate=validate.Range(0, MAX_INTEGER), metadata={
        "description": "Where in the book (kept for books; part of what makes a highlight the same one)."})
    location_type = fields.String(allow_none=True, validate=validate.OneOf(LOCATION_TYPES))
    highlighted_at = Moment(allow_none=True)
    highlight_url = string(4095, allow_none=True)
    image_url = string(2047, allow_none=True, validators=[_web_url])

    @pre_load
    def _blank_is_none(self, data, **kwargs):
        """Apps send "" for a field they have no value for."""
        if isinstance(data, dict):
            data = {name: None if value == "" and name != "text" else value for name, value in data.items()}
        return data

    @post_load
    def _item(self, data, **kwargs) -> intake.PushedItem:
        return intake.PushedItem(**{f.name: data.get(f.name) for f in dataclasses.fields(intake.PushedItem)})


class PushSchema(Body):
    highlights = fields.List(fields.Nested(PushItemSchema), required=True, metadata={
        "description": f"At most {intake.MAX_BATCH} highlights; a larger batch gets 413 and nothing is stored."})

    @pre_load
    def _bounded(self, data, **kwargs):
        """Count before checking each item: a huge batch is refused at once, whole."""
        if isinstance(data, dict) and isinstance(data.get("highlights"), list):
            intake.check_batch_size(len(data["highlights"]))
        return data


def _unchangeable(value) -> None:
    raise ValidationError("Cannot be changed: a highlight is found again on its page by its text and place. "
                          "Delete it and push it anew instead.")


class HighlightPatchSchema(Body):
    note = string(8191, metadata={"description": "The highlight's new note ('' to clear it)."})
    color = fields.String(validate=validate.OneOf(COLORS))
    text = fields.Raw(validate=_unchangeable, metadata={
        "description": "Refused (400): a highlight is found again on its page by its text and place."})
    location = fields.Raw(validate=_unchangeable, metadata={"description": "Refused (400), as text."})
    url = fields.Raw(validate=_unchangeable, metadata={"description": "Refused (400), as text."})


class TagNameSchema(Body):
    name = string(100, 1, required=True)


class PagedQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    page = Integer(load_default=1, validate=validate.Range(1, 10**6))
    page_size = Integer(load_default=100, validate=validate.Range(1, MAX_PAGE_SIZE))
    updated__gt = Moment()
    updated__lt = Moment()

    @pre_load
    def _numbers(self, data, **kwargs):
        """Query values are text: page numbers are read as the integers they spell."""
        data = dict(data)
        for name in ("page", "page_size", "book_id"):
            if isinstance(data.get(name), str) and data[name].isdigit() and len(data[name]) < 12:
                data[name] = int(data[name])
        return data


class HighlightQuerySchema(PagedQuerySchema):
    book_id = Integer(validate=validate.Range(1))
    highlighted_at__gt = Moment()
    highlighted_at__lt = Moment()


class BookQuerySchema(PagedQuerySchema):
    category = fields.String(validate=validate.OneOf(CATEGORIES))


class ExportQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    updatedAfter = Moment(metadata={"description": "Only highlights changed after this time."})
    ids = fields.String(validate=validate.Regexp(r"^\d{1,10}(,\d{1,10}){0,999}$"), metadata={
        "description": "Comma-separated book ids (at most 1000)."})
    pageCursor = fields.String(validate=validate.Regexp(r"^\d{1,10}$"), metadata={
        "description": "nextPageCursor of the previous answer."})


# --- answers ----------------------------------------------------------------------------------

class TagSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class HighlightSchema(Schema):
    id = fields.Integer(metadata={"description": "Stable integer id."})
    text = fields.String()
    note = fields.String()
    location = fields.Integer(allow_none=True)
    location_type = fields.String(allow_none=True)
    highlighted_at = Moment(allow_none=True)
    created_at = Moment()
    updated = Moment()
    url = fields.String(allow_none=True, metadata={"description": "A link to the passage on its web page."})
    color = fields.String()
    book_id = fields.Integer()
    tags = fields.List(fields.Nested(TagSchema))


class BookSchema(Schema):
    id = fields.Integer()
    title = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    category = fields.String()
    source = fields.String(allow_none=True)
    num_highlights = fields.Integer()
    last_highlight_at = Moment(allow_none=True)
    updated = Moment()
    cover_image_url = fields.String(allow_none=True)
    highlights_url = fields.String()
    source_url = fields.String(allow_none=True)
    asin = fields.String(allow_none=True)
    tags = fields.List(fields.Nested(TagSchema))
    document_note = fields.String()


class PushedBookSchema(BookSchema):
    modified_highlights = fields.List(fields.Integer(), metadata={
        "description": "Ids of this batch's highlights on the book (new, updated or unchanged)."})


class ListSchema(Schema):
    count = fields.Integer()
    next = fields.String(allow_none=True)
    previous = fields.String(allow_none=True)


class HighlightListSchema(ListSchema):
    results = fields.List(fields.Nested(HighlightSchema))


class BookListSchema(ListSchema):
    results = fields.List(fields.Nested(BookSchema))


class TagListSchema(ListSchema):
    results = fields.List(fields.Nested(TagSchema))


class ExportHighlightSchema(HighlightSchema):
    updated_at = Moment()
    end_location = fields.Integer(allow_none=True)
    external_id = fields.String()
    is_favorite = fields.Boolean()
    is_discard = fields.Boolean()
    readwise_url = fields.String()


class ExportBookSchema(Schema):
    user_book_id = fields.Integer()
    title = fields.String(allow_none=True)
    readable_title = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    cover_image_url = fields.String(allow_none=True)
    unique_url = fields.String(allow_none=True)
    source_url = fields.String(allow_none=True)
    category = fields.String()
    document_note = fields.String()
    readwise_url = fields.String()
    asin = fields.String(allow_none=True)
    book_tags = fields.List(fields.Nested(TagSchema))
    highlights = fields.List(fields.Nested(ExportHighlightSchema))


class ExportSchema(Schema):
    count = fields.Integer()
    nextPageCursor = fields.Integer(allow_none=True, metadata={"description": "Pass it as pageCursor for more."})
    results = fields.List(fields.Nested(ExportBookSchema))


class ErrorSchema(Schema):
    detail = fields.String(metadata={"description": "What was wrong and what to do."})
