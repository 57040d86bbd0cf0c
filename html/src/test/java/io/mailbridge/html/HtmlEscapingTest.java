package io.mailbridge.html;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlEscapingTest {

    @Test
    void escapesWhatCouldEndTextOrAnAttributeAndNothingElse() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;",
                HtmlEscaping.escape("<script>alert('x')</script> & \"quotes\""));
        assertEquals("Zurück\u00a0zum CRM 📬", HtmlEscaping.escape("Zurück\u00a0zum CRM 📬"), "other characters stay as they are");
        assertEquals("&amp;amp;", HtmlEscaping.escape("&amp;"), "escaping twice shows the reference, as it should");
    }

    @Test
    void nullIsEmpty() {
        assertEquals("", HtmlEscaping.escape(null));
    }
}
