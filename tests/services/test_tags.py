"""Tags: one per name in any case for each user, shared by pages and highlights; renaming onto
another tag's name merges the two."""

import pytest

from server.services import highlights, pages, tags
from server.services.errors import Invalid, NotFound

from .factories import last_change, make_user, put


def names(rows) -> list[str]:
    return [tag.name for tag in rows]


@pytest.mark.parametrize("raw, stored", [
    ("reading", "reading"),
    ("  Reading   List ", "Reading List"),
    ("#Reading  List", "Reading List"),
    ("# to read\t", "to read"),
    ("x" * 100, "x" * 100),
])
def test_a_tag_name_is_trimmed_its_spaces_collapsed_and_a_hash_dropped(raw, stored):
    assert tags.clean_tag_name(raw) == stored


@pytest.mark.parametrize("raw, complaint", [("", "empty tag"), ("   ", "empty tag"), ("#", "empty tag"),
                                            ("# ", "empty tag"), ("x" * 101, "tag too long")])
def test_an_empty_or_overlong_tag_name_is_refused_naming_the_field(raw, complaint):
    with pytest.raises(Invalid) as refused:
        tags.clean_tag_name(raw, field="name")
    assert refused.value.fields == {"name": [complaint]}


def test_one_tag_serves_every_spelling_and_keeps_the_first(session):
    ann = make_user(session)
    (first,) = tags.resolve_tags(session, ann.id, ["Reading List"])
    again = tags.resolve_tags(session, ann.id, ["reading list", "#READING   LIST", "Reading List"])
    assert again == [first]
    assert first.name == "Reading List"


def test_tags_come_back_in_name_order_whatever_order_they_were_given(session):
    ann = make_user(session)
    assert names(tags.resolve_tags(session, ann.id, ["zebra", "Apple", "mango"])) == ["Apple", "mango", "zebra"]


def test_at_most_100_tags_on_one_item(session):
    ann = make_user(session)
    assert len(tags.resolve_tags(session, ann.id, [f"t{n}" for n in range(100)] + ["T0"])) == 100
    with pytest.raises(Invalid) as refused:
        tags.resolve_tags(session, ann.id, [f"t{n}" for n in range(101)])
    assert refused.value.fields == {"tags": ["too many tags"]}


def test_each_user_has_their_own_tags(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    (anns,) = tags.resolve_tags(session, ann.id, ["reading"])
    (bobs,) = tags.resolve_tags(session, bob.id, ["Reading"])
    assert anns.id != bobs.id
    assert [t["name"] for t in tags.list_tags(session, bob.id)] == ["Reading"]
    with pytest.raises(NotFound):
        tags.get_tag(session, bob.id, anns.id)


def test_the_list_counts_live_highlights_and_pages_carrying_each_tag(session):
    """A page counts for a tag it has itself or one of its live highlights has."""
    ann = make_user(session)
    put(session, ann, "one", tags=["animals", "foxes"])
    put(session, ann, "two", tags=["animals"])
    gone = put(session, ann, "three", tags=["animals", "foxes"])
    highlights.delete_highlight(session, ann.id, gone.uuid)
    page, _ = pages.upsert_page(session, ann.id, "https://example.com/zoo", tags=["animals", "zoos"])
    listed = tags.list_tags(session, ann.id)
    assert [(t["name"], t["highlight_count"], t["page_count"]) for t in listed] == [
        ("animals", 2, 2), ("foxes", 1, 1), ("zoos", 0, 1)]
    zoos = next(t for t in listed if t["name"] == "zoos")
    assert tags.list_tags(session, ann.id, only=zoos["id"]) == [zoos]


def test_renaming_changes_the_name_everywhere_and_tells_syncing_clients(session):
    ann = make_user(session)
    tagged = put(session, ann, "one", tags=["to-read"])
    untagged = put(session, ann, "two")
    (tag,) = tagged.tags
    renamed, merged = tags.rename_tag(session, ann.id, tag.id, "  #Read  later ")
    assert (renamed.id, renamed.name, merged) == (tag.id, "Read later", False)
    session.expire_all()
    assert names(highlights.get_highlight(session, ann.id, tagged.uuid).tags) == ["Read later"]
    # The tagged highlight took a new change number, so the feed shows it again; the other did not.
    assert [h.uuid for h in highlights.feed(session, ann.id).items] == [untagged.uuid, tagged.uuid]
    assert last_change(session, ann) == 3


def test_renaming_to_another_case_of_itself_is_a_rename(session):
    ann = make_user(session)
    (tag,) = tags.resolve_tags(session, ann.id, ["reading"])
    renamed, merged = tags.rename_tag(session, ann.id, tag.id, "Reading")
    assert (renamed.id, renamed.name, merged) == (tag.id, "Reading", False)


def test_renaming_onto_an_existing_name_merges_highlights_and_pages_into_that_tag(session):
    ann = make_user(session)
    both = put(session, ann, "both", tags=["ml", "machine learning"])
    only_old = put(session, ann, "old", tags=["ml"])
    page, _ = pages.upsert_page(session, ann.id, "https://example.com/paper", tags=["ml", "machine learning"])
    target, old = tags.resolve_tags(session, ann.id, ["ml", "machine learning"])  # in name order

    survivor, merged = tags.rename_tag(session, ann.id, old.id, "Machine Learning")
    assert merged and survivor.id == target.id
    assert survivor.name == "machine learning"  # the existing tag keeps its spelling
    assert [(t["name"], t["highlight_count"], t["page_count"]) for t in tags.list_tags(session, ann.id)] == [
        ("machine learning", 2, 2)]
    assert names(highlights.get_highlight(session, ann.id, both.uuid).tags) == ["machine learning"]
    assert names(highlights.get_highlight(session, ann.id, only_old.uuid).tags) == ["machine learning"]
    assert names(pages.get_page(session, ann.id, page.id).tags) == ["machine learning"]
    with pytest.raises(NotFound):
        tags.get_tag(session, ann.id, old.id)


def test_renaming_onto_another_users_tag_name_merges_nothing_of_theirs(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    put(session, ann, "ann's", tags=["reading"])
    (bobs,) = put(session, bob, "bob's", tags=["to-read"]).tags
    renamed, merged = tags.rename_tag(session, bob.id, bobs.id, "reading")
    assert (renamed.id, merged) == (bobs.id, False)
    assert [(t["name"], t["highlight_count"]) for t in tags.list_tags(session, ann.id)] == [("reading", 1)]
    assert last_change(session, ann) == 1


def test_nobody_renames_another_users_tag(session):
    ann, bob = make_user(session, "ann"), make_user(session, "bob")
    (anns,) = put(session, ann, tags=["reading"]).tags
    with pytest.raises(NotFound) as refused:
        tags.rename_tag(session, bob.id, anns.id, "mine now")
    assert "GET /api/v1/tags lists yours" in refused.value.message
    assert anns.name == "reading"


def test_renaming_to_an_empty_name_is_refused_and_changes_nothing(session):
    ann = make_user(session)
    (tag,) = put(session, ann, tags=["reading"]).tags
    with pytest.raises(Invalid) as refused:
        tags.rename_tag(session, ann.id, tag.id, " # ")
    assert refused.value.fields == {"name": ["empty tag"]}
    assert tag.name == "reading"
