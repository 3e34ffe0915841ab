"""Reading a PDF's text in a subprocess: each page in order, metadata, and hostile files bounded by its limits."""

from server.services.pdf_text import PAGE_SEPARATOR, looks_like_pdf, read_pdf, readable_html
from tests.pdf_files import deeply_nested, encrypted, repeated_pages, text_pdf, with_javascript

PAGES = ["The keeper lit the lamp at dusk.", "Ships passed in the night.", "At dawn the lighthouse slept."]


def test_each_page_is_read_in_order_with_offsets_into_the_joined_text():
    read = read_pdf(text_pdf(PAGES, title="Lamp log", author="Ann Keeper"), seconds=20)
    assert read.error is None
    assert (read.page_count, read.title, read.author) == (3, "Lamp log", "Ann Keeper")
    assert read.pages == PAGES
    assert read.text.split(PAGE_SEPARATOR) == PAGES
    assert [read.text[start:].split(PAGE_SEPARATOR)[0] for start in read.offsets] == PAGES


def test_the_fingerprint_is_the_documents_id_and_survives_rewriting():
    original = text_pdf(PAGES)
    scripted = with_javascript(original, "app.alert('hello')")
    assert read_pdf(original, seconds=20).fingerprint == read_pdf(scripted, seconds=20).fingerprint
    assert len(read_pdf(original, seconds=20).fingerprint) == 32


def test_a_pdf_with_a_javascript_action_gives_its_text_and_nothing_more():
    read = read_pdf(with_javascript(text_pdf(PAGES), "app.alert('hello')"), seconds=20)
    assert read.error is None and read.pages == PAGES


def test_an_encrypted_pdf_says_so():
    read = read_pdf(encrypted(text_pdf(PAGES), "secret"), seconds=20)
    assert read.pages == []
    assert "encrypted with a password" in read.error


def test_a_pdf_encrypted_without_a_user_password_is_read():
    assert read_pdf(encrypted(text_pdf(PAGES), ""), seconds=20).pages == PAGES


def test_a_truncated_pdf_gives_a_clear_error():
    read = read_pdf(text_pdf(PAGES)[:-300], seconds=20)
    assert read.error.startswith("The file could not be read as a PDF")


def test_deep_nesting_gives_a_clear_error_where_shallow_nesting_reads():
    assert read_pdf(deeply_nested(10), seconds=20).error is None
    assert read_pdf(deeply_nested(200_000), seconds=20).error.startswith("The file could not be read as a PDF")


def test_ten_thousand_pages_stop_at_the_time_limit_with_what_was_read():
    read = read_pdf(repeated_pages("A page that repeats.", 10_000), seconds=2)
    assert read.error.startswith("Reading the text took longer than 2 seconds and was stopped")
    assert read.error.endswith(f"the text of {len(read.pages)} pages was kept.")
    assert len(read.pages) < 10_000


def test_the_memory_limit_stops_the_reader_with_a_clear_error():
    read = read_pdf(text_pdf(PAGES), seconds=20, memory_bytes=20 * 1024 * 1024)
    assert read.pages == [] and read.error


def test_only_files_with_a_pdf_header_are_pdfs():
    assert looks_like_pdf(text_pdf(PAGES))
    assert looks_like_pdf(b"junk before\n%PDF-1.4")
    assert not looks_like_pdf(b"<html>not a pdf</html>")


def test_the_readable_copy_escapes_the_text_and_keeps_one_section_per_page():
    html = readable_html(["<script>alert(1)</script>\n\nSecond block", "Page two"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<section") == 2 and html.count("<p>") == 3
