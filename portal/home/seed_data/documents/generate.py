"""Write the demo brochures of the seed archive: one PDF per brochure and language.

    .venv/bin/python portal/home/seed_data/documents/generate.py

Reads ``brochures.json`` beside it (each brochure's title, summary and sections, in
Korean and English) and writes ``<key>.<language>.pdf`` there, which ``load_seed``
attaches to the archive items. A cover page, then one page per section, so that search
results can point into the document ("p. 3"). The text is set in NanumGothic, embedded
as a subset (Debian package ``fonts-nanum``), so that any reader shows the Korean and
any extractor reads it. The PDFs are committed: the site never needs this script or the
font to run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT_PATHS = {
    "regular": Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
    "bold": Path("/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf"),
}
PUBLISHER = {"ko": "서울특별시", "en": "Seoul Metropolitan Government"}
SERIES = {"ko": "서울솔루션 정책 자료", "en": "Seoul Solution policy brochure"}


def _styles():
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    ink, accent = HexColor("#1d1d1d"), HexColor("#0b50d0")
    return {
        "series": ParagraphStyle("series", fontName="Nanum", fontSize=11, textColor=accent),
        "cover": ParagraphStyle(
            "cover", fontName="NanumBold", fontSize=28, leading=36, textColor=ink, spaceAfter=18
        ),
        "summary": ParagraphStyle("summary", fontName="Nanum", fontSize=13, leading=20),
        "publisher": ParagraphStyle("publisher", fontName="NanumBold", fontSize=12, leading=18),
        "heading": ParagraphStyle(
            "heading", fontName="NanumBold", fontSize=17, leading=24, spaceAfter=12
        ),
        # Lines break at spaces in Korean as in English (between words, not syllables).
        "body": ParagraphStyle("body", fontName="Nanum", fontSize=11, leading=18, spaceAfter=8),
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write(brochure: dict, language: str, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = _styles()
    title = brochure["title"][language]

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont("Nanum", 9)
        canvas.drawString(20 * mm, 12 * mm, f"{SERIES[language]} · {title}")
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, str(document.page))
        canvas.restoreState()

    story = [
        Spacer(1, 60 * mm),
        Paragraph(_escape(f"{SERIES[language]} {brochure['year']}"), styles["series"]),
        Spacer(1, 6 * mm),
        Paragraph(_escape(title), styles["cover"]),
        Paragraph(_escape(brochure["summary"][language]), styles["summary"]),
        Spacer(1, 80 * mm),
        Paragraph(_escape(PUBLISHER[language]), styles["publisher"]),
    ]
    for section in brochure["sections"]:
        story += [PageBreak(), Paragraph(_escape(section["title"][language]), styles["heading"])]
        story += [
            Paragraph(_escape(paragraph), styles["body"])
            for paragraph in section["body"][language].split("\n")
            if paragraph.strip()
        ]
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=title,
        author=PUBLISHER[language],
        lang=language,
        # Fixed dates and ids: the same brochure gives the same bytes on every run.
        invariant=True,
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)


def main() -> int:
    missing = [str(path) for path in FONT_PATHS.values() if not path.exists()]
    if missing:
        print(f"Fonts not found: {', '.join(missing)} (apt install fonts-nanum)", file=sys.stderr)
        return 1
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("Nanum", str(FONT_PATHS["regular"])))
    pdfmetrics.registerFont(TTFont("NanumBold", str(FONT_PATHS["bold"])))
    brochures = json.loads((HERE / "brochures.json").read_text(encoding="utf-8"))
    for brochure in brochures:
        for language in ("ko", "en"):
            path = HERE / f"{brochure['key']}.{language}.pdf"
            write(brochure, language, path)
            print(f"{path.name}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
