package io.mailbridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HtmlTextTest {
    @Test
    void outlooksParagraphsAreLinesAndItsEmptyParagraphsTheBlankLinesBetween() {
        String html = """
                <html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
                <style><!-- p.MsoNormal {margin:0cm;} --></style><title>Offer</title></head>
                <body lang="EN-GB"><div class="WordSection1">
                <p class="MsoNormal">Hello Ada,<o:p></o:p></p>
                <p class="MsoNormal"><o:p>&nbsp;</o:p></p>
                <p class="MsoNormal">Here is   the
                   offer.<o:p></o:p></p>
                </div></body></html>""";

        assertEquals("Hello Ada,\n\nHere is the offer.", HtmlText.of(html));
    }

    @Test
    void scriptsStylesAndCommentsCarryNoTextEvenWhenUnclosed() {
        assertEquals("Hi", HtmlText.of("<p>Hi</p><!-- a note --><style>.x{color:red}</style><script>alert('x')</script>"));
        assertEquals("Hi", HtmlText.of("<p>Hi</p><script>document.write('<p>not mail</p>')"));
        assertEquals("Hi", HtmlText.of("<p>Hi</p><!-- never closed <p>hidden</p>"));
    }

    @Test
    void everyNamedAndNumericEntityIsDecodedOnce() {
        assertEquals("Café – 10 € … it’s “fine” & <b> is literal, &lt; too",
                HtmlText.of("Caf&eacute; &ndash; 10 &#8364; &hellip; it&rsquo;s &ldquo;fine&rdquo; &amp; &lt;b&gt; is literal, &amp;lt; too"));
        assertEquals("€ €", HtmlText.of("&#x20AC; &#X20ac;"));
    }

    @Test
    void malformedHtmlReadsAsABrowserShowsIt() {
        assertEquals("Price < 10 & > 5 each\nSecond paragraph\nThird", HtmlText.of("<p>Price < 10 & > 5 each<p>Second paragraph<div>Third"));
        assertEquals("bold and italic", HtmlText.of("<b>bold <i>and</b> italic</i>"));
    }

    @Test
    void nestedListsKeepTheirShapeAndNumbers() {
        String html = "<p>Order:</p><ul><li>Fruit<ul><li>Apple</li><li>Pear</li></ul></li><li>Bread</ul>"
                + "<ol><li>Pay<li>Ship<ol><li>Pack</li></ol></ol>";

        assertEquals("Order:\n- Fruit\n  - Apple\n  - Pear\n- Bread\n1. Pay\n2. Ship\n  1. Pack", HtmlText.of(html));
        assertEquals("- One\n- Two\nmore", HtmlText.of("<ul><li><p>One</p></li><li><div>Two</div><div>more</div></li></ul>"));
    }

    @Test
    void lineBreaksTablesAndPreformattedText() {
        assertEquals("Line one\nLine two\n\nLine three", HtmlText.of("Line one<br>Line two<br><br><br><br>Line three"));
        assertEquals("Hello\n\nRegards", HtmlText.of("<div>Hello</div><div><br></div><div>Regards</div>"));
        assertEquals("Name\tAda\nRole\tBuyer",
                HtmlText.of("<table><tr><th>Name</th><td>Ada</td></tr><tr><td>Role</td><td>Buyer</td></tr></table>"));
        assertEquals("> quoted\n>   indented\nafter", HtmlText.of("<pre>&gt; quoted\n&gt;   indented</pre>after"));
    }

    @Test
    void noBodyIsNoText() {
        assertNull(HtmlText.of(null));
        assertEquals("", HtmlText.of("<html><head><title>Only a title</title></head><body> </body></html>"));
    }
}
