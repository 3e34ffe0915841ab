"""Frames and editors in Chromium with the built extension and a real Margins
server: a same-origin and a cross-origin iframe (two loopback ports) are
pages of their own (select, save, reload, drawn again inside the frame); no
toolbar in a textarea or a contenteditable editor; a srcdoc frame is part of
the page that holds it; the popup's per-site
switch turns the toolbar off, and the options page lists it and undoes it."""

from tests.browser import PageServer, article_html, drawn_highlights, select_text, wait_for
from tests.extension.reader import drawn, live_items, popup_lists
from tests.extension.toolbar import Toolbar


def frame_with_url(page, url):
    return wait_for(lambda: next((frame for frame in page.frames if frame.url == url), None), message=f"the frame {url}")


def test_same_origin_and_cross_origin_frames_are_pages_of_their_own(browser, margins, reader, pages, article):
    title, paragraphs = article
    with PageServer() as other_origin:
        inner_url = pages.url + "/frames/inner.html"
        outer_url = other_origin.url + "/frames/outer.html"
        pages.pages["/frames/inner.html"] = article_html("Same origin", paragraphs[6:9])
        other_origin.pages["/frames/outer.html"] = article_html("Other origin", paragraphs[12:16])
        pages.pages["/frames/top.html"] = f"""<!doctype html><html><head><meta charset="utf-8"><title>Frames</title></head>
<body style="margin: 0"><p>The page that holds two frames.</p>
<iframe src="{inner_url}" style="border: 0" width="1000" height="300"></iframe>
<iframe src="{outer_url}" style="border: 0" width="1000" height="300"></iframe>
<iframe id="notes" srcdoc="<p>Written into the holding page: a srcdoc frame about edge inference budgets.</p>"
  style="border: 0" width="1000" height="80"></iframe></body></html>"""
        top_url = pages.url + "/frames/top.html"
        page = browser.context.new_page()
        page.goto(top_url)
        toolbar = Toolbar(page)
        for url, start, end, color in ((inner_url, "Governments worldwide", "regional interests", "green"),
                                       (outer_url, "Meta has committed", "deal with AMD", "blue")):
            frame = frame_with_url(page, url)
            frame.wait_for_selector("article")
            select_text(page, start, end, frame=frame)
            toolbar.click(f".swatch[data-color={color}]")
            toolbar.fill("textarea", f"In the {color} frame.")
            toolbar.click("[data-action=done]")
            [item] = wait_for(lambda url=url: [i for i in live_items(margins, reader, url) if i["note"]],
                              message=f"the highlight of {url}")
            assert item["quote"]["exact"].startswith(start) and item["quote"]["exact"].endswith(end)
            assert (item["color"], item["note"]) == (color, f"In the {color} frame.")
        assert live_items(margins, reader, top_url) == []

        # A srcdoc frame is part of the page that holds it.
        srcdoc = wait_for(lambda: next((f for f in page.frames if f.url == "about:srcdoc"), None), message="the srcdoc frame")
        select_text(page, "a srcdoc frame", "inference budgets", frame=srcdoc)
        toolbar.click(".swatch[data-color=orange]")
        page.keyboard.press("Escape")
        [held] = wait_for(lambda: live_items(margins, reader, top_url), message="the srcdoc frame's highlight")
        assert held["quote"]["exact"] == "a srcdoc frame about edge inference budgets"

        page.reload()
        drawn(frame_with_url(page, inner_url), {"green": 1}, "the same-origin frame's highlight drawn again")
        drawn(frame_with_url(page, outer_url), {"blue": 1}, "the cross-origin frame's highlight drawn again")
        srcdoc = wait_for(lambda: next((f for f in page.frames if f.url == "about:srcdoc"), None), message="the srcdoc frame")
        drawn(srcdoc, {"orange": 1}, "the srcdoc frame's highlight drawn again")
        assert drawn_highlights(page) == {}
        # The popup is the top page's: the srcdoc frame's highlight, found (not an orphan); not the frames' own pages.
        assert popup_lists(browser, top_url) == {held["quote"]["exact"]: "exact"}
        page.close()


EDITORS = """<!doctype html><html><head><meta charset="utf-8"><title>Compose</title></head><body>
<p id="plain">A plain paragraph the reader may highlight, about chip export rules.</p>
<textarea id="draft" cols="80" rows="3">A draft in a textarea about semiconductor supply chains.</textarea>
<div id="editor" contenteditable="true"><p>An editor paragraph about sovereign AI clouds and their budgets.</p></div>
</body></html>"""


def test_no_toolbar_in_textareas_and_editors_and_the_per_site_switch(browser, margins, reader, pages):
    pages.pages["/compose.html"] = EDITORS
    url = pages.url + "/compose.html"
    page = browser.context.new_page()
    page.goto(url)
    toolbar = Toolbar(page)

    select_text(page, "editor paragraph", "sovereign AI clouds")
    page.keyboard.press("Shift+End")  # a selection made in an editor, with the keyboard too
    box = page.locator("#draft").bounding_box()
    page.mouse.dblclick(box["x"] + 30, box["y"] + 10)  # a word of the textarea
    page.wait_for_timeout(300)  # the toolbar would show on the next task
    assert not toolbar.is_open()
    select_text(page, "plain paragraph", "chip export rules")
    toolbar.wait_for(".swatch")  # outside the editors it does show
    page.keyboard.press("Escape")

    # The popup's switch: no toolbar on this site, highlights still drawn, the options page undoes it.
    popup = browser.open_popup(url)
    popup.check("#toolbar-off")
    wait_for(lambda: browser.storage("settings")["noToolbarSites"] == ["127.0.0.1"], message="the site switched off")
    popup.close()
    page.mouse.click(5, 700)  # a click on nothing drops the last selection
    select_text(page, "plain paragraph", "chip export rules")
    page.wait_for_timeout(300)
    assert not toolbar.is_open()
    assert popup_lists(browser, url) == {}

    options = browser.context.new_page()
    options.goto(f"chrome-extension://{browser.extension_id}/options.html")
    options.wait_for_selector("body[data-ready=true]")
    assert options.locator("#no-toolbar-sites li").inner_text().startswith("127.0.0.1")
    options.click("#no-toolbar-sites button")
    wait_for(lambda: browser.storage("settings")["noToolbarSites"] == [], message="the toolbar back on")
    assert options.locator("#no-toolbar-sites li").count() == 0
    options.close()
    page.bring_to_front()
    page.mouse.click(5, 700)
    select_text(page, "plain paragraph", "chip export rules")
    toolbar.click(".swatch[data-color=pink]")
    page.keyboard.press("Escape")
    [item] = wait_for(lambda: live_items(margins, reader, url), message="the highlight once the toolbar is back")
    assert item["quote"]["exact"] == "plain paragraph the reader may highlight, about chip export rules"
    page.close()
