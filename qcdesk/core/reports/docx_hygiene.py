"""What python-docx's default template gets wrong for a report written today, put right.

The template is a 2013 "Microsoft Macintosh Word" file in compatibility mode 14: a
report would open in Word saying so, with a 2013 creation date, stale page and word
counts, and American English as the language whatever the researcher writes in. Here
the extended properties name qcdesk, the settings ask for the current layout rules
(mode 15) and for fields (table of contents, caption numbers) to be brought up to date
on opening, and the chosen language is set on every style through the defaults.
"""

from __future__ import annotations

import datetime as _dt
from xml.sax.saxutils import escape

from qcdesk import __version__
from qcdesk.core.reports import docx_adapter as dx

qn = dx.qn

APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>Normal.dotm</Template><Application>{app}</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>")
#: Word 2013 and later: the layout rules of current Word, no compatibility mode banner
COMPATIBILITY_MODE = "15"
#: right-to-left scripts: their language goes in w:lang's bidi attribute
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"}
EAST_ASIAN = {"ja", "zh", "ko"}
#: opening and closing quotation marks by language
QUOTATION_MARKS = {"de": ("„", "“"), "fr": ("« ", " »"), "es": ("«", "»"), "it": ("«", "»"),
                   "pt": ("«", "»"), "nl": ("‘", "’"), "sv": ("”", "”"), "da": ("»", "«"),
                   "pl": ("„", "”"), "ru": ("«", "»"), "ar": ("«", "»"),
                   "ja": ("「", "」"), "zh": ("“", "”")}
#: the heading over the table of contents by language
CONTENTS = {"en": "Contents", "de": "Inhalt", "fr": "Table des matières", "es": "Índice",
            "nl": "Inhoud", "it": "Indice", "pt": "Índice"}
# w:settings children that come after w:updateFields in the schema
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
                        "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
                        "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                        "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                        "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                        "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
# w:rPr children that come after w:lang
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_ICS = ("w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
              "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
              "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
              "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
              "w:specVanish", "w:oMath")


def modernise(document, language: str, now: _dt.datetime) -> None:
    """qcdesk as the application, current compatibility, fields updated on opening, ``language``."""
    _app_properties(document)
    settings = document.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = dx.element("w:compat")
        dx.insert_in_order(settings, compat, *_AFTER_UPDATE_FIELDS[4:])
    for child in list(compat):
        compat.remove(child)  # the template's Word 2010 layout switches
    for name, value in (("compatibilityMode", COMPATIBILITY_MODE),
                        ("overrideTableStyleFontSizeAndJustification", "1"), ("enableOpenTypeFeatures", "1"),
                        ("doNotFlipMirrorIndents", "1"), ("differentiateMultirowTableHeaders", "1")):
        setting = dx.element("w:compatSetting")
        setting.set(qn("w:name"), name)
        setting.set(qn("w:uri"), "http://schemas.microsoft.com/office/word")
        setting.set(qn("w:val"), value)
        compat.append(setting)
    if settings.find(qn("w:updateFields")) is None:
        update = dx.element("w:updateFields")
        update.set(qn("w:val"), "true")
        dx.insert_in_order(settings, update, *_AFTER_UPDATE_FIELDS)
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        _set_lang(theme_lang, language)
    rsids = settings.find(qn("w:rsids"))
    if rsids is not None:  # the template's editing sessions say nothing about this report
        settings.remove(rsids)
    _language_on_styles(document, language)


def _app_properties(document) -> None:
    dx.replace_part(document, dx.extended_properties_type(),
                    APP_XML.format(app=escape(f"qcdesk {__version__}")).encode())


def _set_lang(el, language: str) -> None:
    primary = language.split("-")[0].lower()
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        if el.get(qn(attr)) is not None:
            del el.attrib[qn(attr)]
    el.set(qn("w:val"), language)
    if primary in EAST_ASIAN:
        el.set(qn("w:eastAsia"), language)
    if primary in RTL_LANGUAGES:
        el.set(qn("w:bidi"), language)


def _language_on_styles(document, language: str) -> None:
    """w:lang in the document defaults (every style inherits it) and on Normal itself."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = []
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is None:
                rpr = dx.element("w:rPr")
                rpr_default.append(rpr)
            targets.append(rpr)
    targets.append(dx.style_run_properties(document.styles["Normal"]))
    for rpr in targets:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = dx.element("w:lang")
            dx.insert_in_order(rpr, lang, *_AFTER_LANG)
        _set_lang(lang, language)


def not_italic_cs(style) -> None:
    """Turn off the complex-script italics (w:iCs) that Word applies to Arabic and Hebrew text."""
    rpr = dx.style_run_properties(style)
    ics = rpr.find(qn("w:iCs"))
    if ics is None:
        ics = dx.element("w:iCs")
        dx.insert_in_order(rpr, ics, *_AFTER_ICS)
    ics.set(qn("w:val"), "0")


def bookmark(n: int) -> str:
    return f"_Toc{n:08d}"


def bookmarked(p, n: int, write) -> None:
    """Call ``write()`` (which appends runs to paragraph element ``p``) inside bookmark ``n``."""
    start = dx.element("w:bookmarkStart")
    start.set(qn("w:id"), str(n))
    start.set(qn("w:name"), bookmark(n))
    p.append(start)
    write()
    end = dx.element("w:bookmarkEnd")
    end.set(qn("w:id"), str(n))
    p.append(end)


def toc_style(document, level: int, width: int) -> str:
    """The style id of Word's "toc N" paragraph style, made on first use: indented by level,
    a right tab with dot leaders at the text width for the page number."""
    name = f"toc {level}"
    styles = document.styles
    try:
        return styles[name].style_id
    except KeyError:
        pass
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Cm, Pt

    st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = styles["Normal"]
    pf = st.paragraph_format
    pf.left_indent = Cm(0.6 * (level - 1))
    pf.space_after = Pt(2 if level > 1 else 4)
    pf.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    if level == 1:
        st.font.bold = True
    return st.style_id


def _run(child):
    r = dx.element("w:r")
    r.append(child)
    return r


def _fld_char(kind: str, dirty: bool):
    el = dx.element("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    if dirty:
        el.set(qn("w:dirty"), "true")  # Word updates it when opening the file
    return el


def _instr(instruction: str):
    instr = dx.element("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    return instr


def complex_field(p, instruction: str, shown: str, dirty: bool = True) -> None:
    """Append a field (begin, instruction, separate, result, end) to paragraph element ``p``;
    ``shown`` is what a reader sees until the field is updated."""
    text = dx.element("w:t")
    text.text = shown
    for r in (_run(_fld_char("begin", dirty)), _run(_instr(instruction)),
              _run(_fld_char("separate", False)), _run(text), _run(_fld_char("end", False))):
        p.append(r)


def when(iso: str) -> _dt.datetime | None:
    """A coding's stored time as a comment date (whole seconds, UTC); None if unreadable."""
    try:
        when = _dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when.astimezone(_dt.timezone.utc).replace(microsecond=0)
