"""Real PDFs for the tests, generated with reportlab from a small Markdown-like fixture text.

`markdown_pdf()` typesets `# headings`, paragraphs (a `**whole line**` in bold body type), `- `
bullets, pipe tables (`<br>` breaks a cell's line) and `---` page breaks (drawn with a grid, as
reports and whitepapers do), with a running header and a "Page N of M" footer on every
page (page chrome the loader must drop) and the document metadata (title, author, date).
`scanned_pdf()` has only a picture of text (no text layer), `encrypted_pdf()` needs a password
and `corrupt_pdf()` is not a PDF at all. Nothing is downloaded.
"""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")


def _blocks(text: str):
    """('h', level, text) | ('p', text) | ('li', text) | ('table', rows) | ('pagebreak',)."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
        elif line == "---":
            yield ("pagebreak",)
            i += 1
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            yield ("h", level, line[level:].strip())
            i += 1
        elif line.startswith("|"):
            rows = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                if not _TABLE_RULE.match(lines[i].strip()):
                    rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            yield ("table", rows)
        elif line.startswith("- "):
            yield ("li", line[2:])
            i += 1
        else:
            para = []
            while i < len(lines) and lines[i].strip() and lines[i].strip() != "---" \
                    and not lines[i].strip().startswith(("#", "|", "- ")):
                para.append(lines[i].strip())
                i += 1
            yield ("p", " ".join(para))


def _rule(table, rules: str) -> None:
    """Style a reportlab `table` as `rules` says (see markdown_pdf); "none" leaves it as is."""
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    if rules == "grid":
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    elif rules == "shaded":
        table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                                   ("ROWBACKGROUNDS", (0, 1), (-1, -1),
                                    [colors.white, colors.lightgrey])]))
    elif rules == "columns":
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.lightblue),
                                   ("LINEAFTER", (0, 1), (-2, -1), 0.5, colors.grey),
                                   ("ROWBACKGROUNDS", (0, 1), (-1, -1),
                                    [None, colors.whitesmoke]),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))


def markdown_pdf(path: Path, text: str, *, title: str = "", author: str = "",
                 date: datetime | None = None, running_header: str = "",
                 rules: str = "grid") -> Path:
    """Typeset `text` into a multi-page PDF at `path` (see the module docstring); `rules`:
    "grid" (every cell ruled), "none" (reportlab's default table), "shaded" (a rule under
    the header and alternate rows shaded, no rule between columns) or "columns" (a shaded
    header band, rules between the body's columns only, alternate body rows shaded, cells
    centred vertically, so a one-line header cell sits between the lines of a wrapped one)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    styles = getSampleStyleSheet()
    story = []
    for block in _blocks(text):
        if block[0] == "pagebreak":
            story.append(PageBreak())
        elif block[0] == "h":
            story.append(Paragraph(escape(block[2]), styles[f"Heading{min(block[1], 3)}"]))
        elif block[0] == "p" and block[1].startswith("**") and block[1].endswith("**"):
            story.append(Paragraph(f"<b>{escape(block[1][2:-2])}</b>", styles["BodyText"]))
        elif block[0] == "p":
            story.append(Paragraph(escape(block[1]), styles["BodyText"]))
        elif block[0] == "li":
            story.append(Paragraph(escape(block[1]), styles["BodyText"], bulletText="•"))
        else:
            cell = styles["BodyText"]
            rows = [[Paragraph(escape(c).replace("&lt;br&gt;", "<br/>"), cell) for c in row]
                    for row in block[1]]
            table = Table(rows, repeatRows=1, hAlign="LEFT")
            _rule(table, rules)
            story += [table, Spacer(1, 0.3 * cm)]

    def chrome(canvas, doc):
        canvas.saveState()
        if date is not None:
            stamp = date.strftime("D:%Y%m%d%H%M%S+00'00'")
            canvas.setDateFormatter(lambda *_: stamp)
        canvas.setFont("Helvetica", 8)
        if running_header:
            canvas.drawString(2 * cm, A4[1] - 1.2 * cm, running_header)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, title=title, author=author,
                            topMargin=2 * cm, bottomMargin=2 * cm)
    doc.build(story, onFirstPage=chrome, onLaterPages=chrome)
    return Path(path)


def scanned_pdf(path: Path, line: str = "This page is a scanned image of text.") -> Path:
    """One page holding only a bitmap of text: no text layer, as from a scanner."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (1200, 200), 255)
    ImageDraw.Draw(image).text((20, 80), line, fill=0)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(ImageReader(image), 50, 500, width=500, height=83)
    pdf.showPage()
    pdf.save()
    return Path(path)


def encrypted_pdf(path: Path, password: str = "s3cret") -> Path:
    """A text PDF that needs a user password to open."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption(
        password, ownerPassword=password + "-owner", strength=128))
    pdf.drawString(72, 720, "Confidential benchmark numbers nobody may read.")
    pdf.showPage()
    pdf.save()
    return Path(path)


def corrupt_pdf(path: Path) -> Path:
    """A file named .pdf whose bytes are a truncated header and garbage."""
    Path(path).write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pa" + bytes(range(256)) * 4)
    return Path(path)
