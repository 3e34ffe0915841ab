"""Pagination cursors: opaque, URL-safe, and refused with one clear error when they are not ours."""

import base64
import json

import pytest

from server.services.cursors import decode_cursor, encode_cursor
from server.services.errors import Invalid


def raw_cursor(value) -> str:
    """A cursor made by hand, the way a client that tampers with one would."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize("values, types", [
    ((0,), (int,)),
    ((2**63 - 1,), (int,)),
    (("2026-11-23T10:00:00.123456+00:00", 41), (str, int)),
    (("é ünïcode & ?=/+", 7), (str, int)),
])
def test_a_cursor_gives_back_the_values_it_was_made_from(values, types):
    assert decode_cursor(encode_cursor(*values), types) == list(values)


def test_a_cursor_can_go_in_a_query_string_as_it_is():
    cursor = encode_cursor("é ünïcode & ?=/+" * 3, 2**62)
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_padding_a_client_puts_back_is_accepted():
    assert decode_cursor(raw_cursor([5]), (int,)) == [5]


@pytest.mark.parametrize("cursor", [
    "",
    "not a cursor!",
    "%%%%",
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),  # not UTF-8
    raw_cursor({"seq": 5}),  # not a list
    raw_cursor([]),  # too few values
    raw_cursor([5, 6]),  # too many
    raw_cursor(["5"]),  # a string where a number belongs
    raw_cursor([True]),  # JSON true is not a number, though Python's bool is an int
    raw_cursor([5.0]),
    raw_cursor([-1]),
    raw_cursor([2**63]),  # beyond any change number
])
def test_a_cursor_this_server_did_not_give_out_is_refused(cursor):
    with pytest.raises(Invalid) as refused:
        decode_cursor(cursor, (int,))
    assert refused.value.status == 422
    assert refused.value.fields == {"cursor": ["invalid cursor"]}
    assert "pass next_cursor from the previous answer" in refused.value.message


def test_the_caller_sets_the_largest_number_a_cursor_may_hold():
    assert decode_cursor(raw_cursor(["x", 2**31 - 1]), (str, int), max_int=2**31 - 1) == ["x", 2**31 - 1]
    with pytest.raises(Invalid):
        decode_cursor(raw_cursor(["x", 2**31]), (str, int), max_int=2**31 - 1)
