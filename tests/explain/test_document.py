"""The document model behind every explanation: plain text, Markdown and JSON renderings of one Document."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from policyengine.explanation.document import FORMATS, WIDTH, Block, Document, Line

QUOTE = "\u201cNot use APL outside of the Korean Peninsula\u201d"
URL = "https://thenewsfort.org/2022/06/22/biden-reverses-trump-era-policies-on-anti-personnel-landmines/"


def sample() -> Document:
    """A small explanation-shaped document: a scenario, one cited provision, a table."""
    citation = Line("B22-3 \u2014 No use outside the Korean Peninsula",
                    (Line(QUOTE), Line("source S34: White House fact sheet, 2022-06-22 [primary via quote]"),
                     Line(URL)))
    return Document(
        "biden-2022: PROHIBITED",
        "Under biden-2022 this is prohibited, decided by B22-3.",
        (Block("scenario", (Line("activity=use mine=anti_personnel location=elsewhere"),)),
         Block("decided by", (citation,)),
         Block("instruments", columns=("instrument", "verdict"),
               rows=(("biden-2022", "prohibited"), ("trump-2020", "conditional")))),
        {"decision": {"verdict": "prohibited", "deciding_rules": ["B22-3"]}, "when": dt.date(2022, 6, 21)},
    )


class TestText:
    """Plain text: a title, the summary indented, headed blocks, bullets and nested lines."""

    def test_title_then_summary(self):
        """The first line is the title and the second the summary, indented by two spaces."""
        lines = sample().render("text").splitlines()
        assert lines[0] == "biden-2022: PROHIBITED"
        assert lines[1] == "  Under biden-2022 this is prohibited, decided by B22-3."

    def test_text_is_the_default_format(self):
        """render() with no format is the plain text rendering."""
        doc = sample()
        assert doc.render() == doc.render("text")

    def test_blocks_are_headed_and_bulleted(self):
        """Each block is `  heading:` followed by its lines as `  - ` bullets."""
        lines = sample().render("text").splitlines()
        at = lines.index("  scenario:")
        assert lines[at + 1] == "  - activity=use mine=anti_personnel location=elsewhere"
        assert "  decided by:" in lines

    def test_children_are_indented_under_their_parent(self):
        """The quote, source and URL of a citation sit under the provision, six spaces in."""
        lines = sample().render("text").splitlines()
        at = lines.index("  - B22-3 \u2014 No use outside the Korean Peninsula")
        assert lines[at + 1] == "      " + QUOTE
        assert lines[at + 3] == "      " + URL

    def test_long_lines_wrap_at_the_width_without_breaking_words(self):
        """A long statement wraps at WIDTH characters, continuation lines indented one more space."""
        words = " ".join(f"word{i}" for i in range(60))
        text = Document("t", "s", (Block("b", (Line(words),)),)).render("text")
        body = text.splitlines()[3:]
        assert len(body) > 1
        assert all(len(line) <= WIDTH for line in body)
        assert all(line.startswith("     word") for line in body[1:])
        assert body[0].startswith("  - word0 ")
        assert " ".join(" ".join(body).split())[2:] == words

    def test_urls_are_never_broken(self):
        """A URL longer than the width stays whole on its own line."""
        url = "https://example.org/" + "a" * 150
        text = Document("t", "s", (Block("b", (Line("see", (Line(url),)),)),)).render("text")
        assert any(line.strip() == url for line in text.splitlines())

    def test_long_summary_wraps(self):
        """The summary wraps at the width too, each line indented by two spaces."""
        summary = "Under trump-2020 the answer is conditional: " + "and so on, " * 20 + "end."
        lines = Document("t", summary).render("text").splitlines()[1:]
        assert len(lines) > 1
        assert all(line.startswith("  ") and len(line) <= WIDTH for line in lines)

    def test_table_columns_are_aligned(self):
        """A table block prints its header and rows with every column starting at the same place."""
        lines = sample().render("text").splitlines()
        at = lines.index("  instruments:")
        header, first, second = lines[at + 1: at + 4]
        assert header.split() == ["instrument", "verdict"]
        assert first.split() == ["biden-2022", "prohibited"]
        column = header.index("verdict")
        assert first.index("prohibited") == column and second.index("conditional") == column

    def test_document_without_blocks(self):
        """A short document is just the title and the summary."""
        assert Document("x: PERMITTED", "One sentence.").render("text") == "x: PERMITTED\n  One sentence."


class TestMarkdown:
    """Markdown: `##` title, `###` headings, `-` bullets nested by two spaces, tables with a rule."""

    def test_headings(self):
        """The title is a level-2 heading and each block a level-3 heading."""
        lines = sample().render("markdown").splitlines()
        assert lines[0] == "## biden-2022: PROHIBITED"
        assert "Under biden-2022 this is prohibited, decided by B22-3." in lines
        assert "### scenario" in lines and "### decided by" in lines and "### instruments" in lines

    def test_bullets_nest(self):
        """Lines are bullets; children are bullets indented two spaces under their parent."""
        lines = sample().render("markdown").splitlines()
        at = lines.index("- B22-3 \u2014 No use outside the Korean Peninsula")
        assert lines[at + 1] == "  - " + QUOTE
        assert lines[at + 3] == "  - " + URL

    def test_lines_are_not_wrapped(self):
        """Markdown keeps each statement on one line (the reader's renderer wraps)."""
        words = " ".join(f"word{i}" for i in range(60))
        text = Document("t", "s", (Block("b", (Line(words),)),)).render("markdown")
        assert "- " + words in text.splitlines()

    def test_table(self):
        """A table block is a pipe table with a header rule."""
        lines = sample().render("markdown").splitlines()
        at = lines.index("| instrument | verdict |")
        assert lines[at + 1] == "|---|---|"
        assert lines[at + 2] == "| biden-2022 | prohibited |"

    def test_pipes_in_cells_are_escaped(self):
        """A `|` inside a cell is escaped so it does not split the column."""
        doc = Document("t", "s", (Block("b", columns=("a",), rows=(("x|y",),)),))
        assert "| x\\|y |" in doc.render("markdown").splitlines()

    def test_ends_with_one_newline(self):
        """The Markdown rendering ends with exactly one newline."""
        text = sample().render("markdown")
        assert text.endswith("\n") and not text.endswith("\n\n")


class TestJson:
    """JSON: the title, summary and blocks, merged with the document's data."""

    def test_parses_with_title_summary_blocks_and_data(self):
        """The rendering parses; it carries the title, the summary, the blocks and the data keys."""
        data = json.loads(sample().render("json"))
        assert data["title"] == "biden-2022: PROHIBITED"
        assert data["summary"].startswith("Under biden-2022")
        assert [b["heading"] for b in data["blocks"]] == ["scenario", "decided by", "instruments"]
        assert data["decision"] == {"verdict": "prohibited", "deciding_rules": ["B22-3"]}

    def test_nested_lines_and_tables(self):
        """Blocks keep their nested lines and their table columns and rows."""
        data = json.loads(sample().render("json"))
        cited = data["blocks"][1]["lines"][0]
        assert cited["text"].startswith("B22-3")
        assert next(c["text"] for c in cited["children"]) == QUOTE
        table = data["blocks"][2]
        assert table["columns"] == ["instrument", "verdict"]
        assert table["rows"] == [["biden-2022", "prohibited"], ["trump-2020", "conditional"]]

    def test_dates_are_written_as_iso_strings(self):
        """Values JSON cannot hold (dates) are written as strings."""
        assert json.loads(sample().render("json"))["when"] == "2022-06-21"

    def test_curly_quotes_are_kept(self):
        """Non-ASCII text (curly quotes, the em dash) is written as is, not escaped."""
        text = sample().render("json")
        assert QUOTE in text and "\u2014" in text


class TestFormats:
    """The formats a document renders to."""

    def test_the_three_formats(self):
        """The formats are text, markdown and json."""
        assert FORMATS == ("text", "markdown", "json")

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_every_format_renders(self, fmt):
        """Each of the three formats renders the sample to a string naming the title."""
        assert "biden-2022: PROHIBITED" in sample().render(fmt)
