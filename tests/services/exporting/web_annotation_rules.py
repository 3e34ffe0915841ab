"""The Web Annotation Data Model's MUSTs and SHOULDs (https://www.w3.org/TR/annotation-model/), as checks.

``problems(document)`` lists every rule a document breaks (empty: conforms). The W3C's own examples
(the model's Examples 1, 5, 17, 38 and 39, as the specification writes them) calibrate it in the tests.
"""

import re
from urllib.parse import urlsplit

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATIONS = {"assessing", "bookmarking", "classifying", "commenting", "describing", "editing", "highlighting",
               "identifying", "linking", "moderating", "questioning", "replying", "tagging"}
SELECTORS = {"FragmentSelector", "CssSelector", "XPathSelector", "TextQuoteSelector", "TextPositionSelector",
             "DataPositionSelector", "SvgSelector", "RangeSelector"}
#: xsd:dateTime, and the model's SHOULD: expressed in UTC with a "Z"
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")


def _iri(value) -> bool:
    return isinstance(value, str) and bool(urlsplit(value).scheme)


def _many(value) -> list:
    return value if isinstance(value, list) else [value]


def _has_context(document: dict) -> bool:
    return CONTEXT in _many(document.get("@context"))


def problems(document: dict) -> list[str]:
    kind = document.get("type")
    if kind == "AnnotationCollection":
        return _collection(document)
    if kind == "AnnotationPage":
        return _page(document, embedded=False)
    if kind == "Annotation":
        return ([] if _has_context(document) else ["an Annotation MUST have the anno.jsonld @context"]) + \
            _annotation(document, "the annotation")
    return [f"unknown type {kind!r}"]


def _collection(collection: dict) -> list[str]:
    found = [] if _has_context(collection) else ["a Collection MUST have the anno.jsonld @context"]
    if not _iri(collection.get("id")):
        found.append("a Collection MUST have an IRI id")
    if not collection.get("label"):
        found.append("a Collection SHOULD have a label")
    if not isinstance(collection.get("total"), int):
        found.append("a Collection SHOULD have a total")
    first = collection.get("first")
    if first is None and collection.get("total"):
        found.append("a Collection with Annotations MUST have a first page")
    if collection.get("total", 0) > 0 and not _iri(collection.get("last")):
        found.append("a Collection SHOULD have a last page, as an IRI")
    if isinstance(first, dict):
        found += _page(first, embedded=True)
        count = len(first.get("items", []))
        if first.get("next") is None and isinstance(collection.get("total"), int) and count != collection["total"]:
            found.append(f"total {collection['total']} but {count} annotations")
        part_of = first.get("partOf")
        if (part_of.get("id") if isinstance(part_of, dict) else part_of) != collection.get("id"):
            found.append("the page's partOf SHOULD be its collection")
    elif first is not None and not _iri(first):
        found.append("first MUST be an IRI or an embedded page")
    return found


def _page(page: dict, embedded: bool) -> list[str]:
    found = []
    if embedded and "@context" in page:
        found.append("an embedded Page SHOULD NOT have an @context")
    if not embedded and not _has_context(page):
        found.append("a Page MUST have the anno.jsonld @context")
    if not _iri(page.get("id")):
        found.append("a Page MUST have an IRI id")
    if "partOf" not in page:
        found.append("a Page SHOULD have partOf")
    if not isinstance(page.get("startIndex"), int):
        found.append("a Page SHOULD have a startIndex")
    items = page.get("items")
    if not isinstance(items, list):
        return found + ["a Page MUST have items"]
    for index, item in enumerate(items):
        if "@context" in item:
            found.append(f"items[{index}]: an embedded Annotation SHOULD NOT have an @context")
        found += _annotation(item, f"items[{index}]")
    return found


def _annotation(annotation: dict, where: str) -> list[str]:
    found = []
    if not _iri(annotation.get("id")):
        found.append(f"{where}: an Annotation MUST have an IRI id")
    if "Annotation" not in _many(annotation.get("type")):
        found.append(f"{where}: an Annotation MUST have the type Annotation")
    for name in ("created", "modified"):
        if name in annotation and not DATE_TIME.fullmatch(str(annotation[name])):
            found.append(f"{where}: {name} SHOULD be an xsd:dateTime in UTC")
    for motivation in _many(annotation.get("motivation", [])):
        if motivation not in MOTIVATIONS:
            found.append(f"{where}: motivation {motivation!r} is not one of the model's")
    if "body" in annotation:
        bodies = _many(annotation["body"])
        if not bodies:
            found.append(f"{where}: an empty body: no body SHOULD be no 'body' key")
        for body in bodies:
            if isinstance(body, dict) and body.get("type") == "TextualBody":
                if not isinstance(body.get("value"), str):
                    found.append(f"{where}: a TextualBody MUST have a value")
                for purpose in _many(body.get("purpose", [])):
                    if purpose not in MOTIVATIONS:
                        found.append(f"{where}: purpose {purpose!r} is not one of the model's")
            elif not _iri(body) and not (isinstance(body, dict) and "id" in body):
                found.append(f"{where}: a body is an IRI, a TextualBody or a resource with an id")
    targets = _many(annotation.get("target", []))
    if not targets:
        found.append(f"{where}: an Annotation MUST have a target")
    for target in targets:
        found += _target(target, where, annotation)
    return found


def _target(target, where: str, annotation: dict) -> list[str]:
    if _iri(target):
        return []
    if not isinstance(target, dict):
        return [f"{where}: a target is an IRI or a resource"]
    if "source" not in target:
        return [] if _iri(target.get("id")) else [f"{where}: an external target MUST have an IRI id"]
    found = []
    source = target["source"]
    if not (_iri(source) or isinstance(source, dict) and _iri(source.get("id"))):
        found.append(f"{where}: a SpecificResource MUST have a source with an IRI")
    for selector in _many(target.get("selector", [])):
        found += _selector(selector, where)
    for style in _many(target.get("styleClass", [])):
        sheet = annotation.get("stylesheet")
        value = sheet.get("value", "") if isinstance(sheet, dict) else ""
        if f".{style}" not in value and not _iri(sheet):
            found.append(f"{where}: styleClass {style!r} SHOULD be a class of the annotation's stylesheet")
    return found


def _selector(selector: dict, where: str) -> list[str]:
    kind = selector.get("type")
    if kind not in SELECTORS:
        return [f"{where}: unknown selector {kind!r}"]
    if kind == "TextQuoteSelector" and not isinstance(selector.get("exact"), str):
        return [f"{where}: a TextQuoteSelector MUST have exact"]
    if kind in ("TextPositionSelector", "DataPositionSelector"):
        start, end = selector.get("start"), selector.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            return [f"{where}: a {kind} MUST have start <= end, both non-negative integers"]
    if kind == "RangeSelector":
        return [problem for name in ("startSelector", "endSelector")
                for problem in (_selector(selector[name], where) if isinstance(selector.get(name), dict)
                                else [f"{where}: a RangeSelector MUST have a {name}"])]
    if kind in ("XPathSelector", "CssSelector", "FragmentSelector") and not isinstance(selector.get("value"), str):
        return [f"{where}: a {kind} MUST have a value"]
    refined = selector.get("refinedBy")
    return _selector(refined, where) if isinstance(refined, dict) else []
