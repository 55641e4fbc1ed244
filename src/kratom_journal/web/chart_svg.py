"""Charts as SVG that the app's Content-Security-Policy allows.

matplotlib styles its SVG with CSS: a `<style>` element holding one rule for every
element (`*{stroke-linejoin: round; stroke-linecap: butt}`) and a `style="..."`
attribute on most elements. The app's policy (`style-src 'self'`) refuses both
when the SVG is opened as a document. A second, looser CSP header on the chart
response would not help: a browser enforces every policy it is sent, so the
strict one the security middleware adds would still refuse them.

Every property matplotlib writes is also an SVG presentation attribute, so the
styling is rewritten as attributes, following the CSS cascade (an element's own
`style` beats the `*` rule, which beats an attribute it already had). The chart
looks the same and is served under the same strict policy as every page.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)

# SVG 1.1 presentation attributes that matplotlib's SVG backend writes as CSS.
PRESENTATION = frozenset(
    {
        "clip-path",
        "clip-rule",
        "color",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-variant",
        "font-weight",
        "letter-spacing",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "visibility",
    }
)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def declarations(css: str) -> dict[str, str]:
    """'fill: #fff; stroke: none' -> {'fill': '#fff', 'stroke': 'none'}, keeping only
    properties that have a presentation attribute."""
    found = {}
    for declaration in css.split(";"):
        name, colon, value = declaration.partition(":")
        name = name.strip().lower()
        if colon and name in PRESENTATION and value.strip():
            found[name] = value.strip()
    return found


def without_css(svg: bytes) -> bytes:
    """The same drawing with its CSS rewritten as presentation attributes."""
    root = ET.fromstring(svg)
    every_element: dict[str, str] = {}
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{{{SVG}}}style":
                for selector, body in _RULE.findall(child.text or ""):
                    # matplotlib writes one rule, for `*`; any other is dropped.
                    if selector.strip() == "*":
                        every_element.update(declarations(body))
                parent.remove(child)
    for element in root.iter():
        own = declarations(element.attrib.pop("style", ""))
        # The `*` rule sets its properties on every element, so none are inherited;
        # only what draws (the elements without children) needs them.
        element.attrib.update(own if len(element) else every_element | own)
    text = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{text}\n'.encode()
