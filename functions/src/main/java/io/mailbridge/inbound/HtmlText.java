package io.mailbridge.inbound;

import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * A readable plain-text rendering of an HTML mail body, for the CRM's text field. jsoup parses it as a browser
 * would (unclosed tags, stray {@code <}, every named entity); scripts, styles and comments carry no text.
 */
final class HtmlText {
    private static final Pattern WHITESPACE = Pattern.compile("[ \\t\\n\\r\\f]+");

    private HtmlText() {}

    static String of(String html) {
        if (html == null) {
            return null;
        }
        Lines lines = new Lines();
        NodeTraversor.traverse(lines, Jsoup.parse(html).body());
        return lines.text();
    }

    /** Block elements and {@code <br>} end lines, list items get a marker indented by nesting, table cells a tab. */
    private static final class Lines implements NodeVisitor {
        private final StringBuilder out = new StringBuilder();
        private int lists;
        private int preformatted;
        /** Where the last list item's marker ends: its first paragraph starts on the marker's line. */
        private int markerEnd = -1;

        @Override
        public void head(Node node, int depth) {
            switch (node) {
                case TextNode text when preformatted > 0 -> out.append(text.getWholeText());
                case TextNode text -> words(text.getWholeText());
                case Element element -> {
                    switch (element.normalName()) {
                        case "br" -> out.append('\n');
                        case "td", "th" -> {
                            if (element.elementSiblingIndex() > 0) {
                                out.append('\t');
                            }
                        }
                        case "li" -> {
                            endLine();
                            out.append("  ".repeat(Math.max(0, lists - 1))).append(marker(element));
                            markerEnd = out.length();
                        }
                        case "ul", "ol" -> {
                            markerEnd = -1;
                            endLine();
                            lists++;
                        }
                        case "pre" -> {
                            endLine();
                            preformatted++;
                        }
                        default -> {
                            if (element.isBlock()) {
                                endLine();
                            }
                        }
                    }
                }
                default -> {}
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element element) {
                switch (element.normalName()) {
                    case "td", "th" -> {}
                    case "ul", "ol" -> {
                        lists--;
                        endLine();
                    }
                    case "pre" -> {
                        preformatted--;
                        endLine();
                    }
                    default -> {
                        if (element.isBlock()) {
                            endLine();
                        }
                    }
                }
            }
        }

        /**
         * Runs of whitespace read as one space, none at the start of a line. A non-breaking space stays until the end:
         * Outlook's empty paragraphs hold one, and they are the blank lines between its paragraphs.
         */
        private void words(String text) {
            String collapsed = WHITESPACE.matcher(text).replaceAll(" ");
            if (collapsed.startsWith(" ") && (atLineStart() || out.charAt(out.length() - 1) == ' ')) {
                collapsed = collapsed.substring(1);
            }
            out.append(collapsed);
        }

        private void endLine() {
            if (out.length() == markerEnd) {
                return;
            }
            trimLineEnd();
            if (!atLineStart()) {
                out.append('\n');
            }
        }

        private boolean atLineStart() {
            return out.isEmpty() || out.charAt(out.length() - 1) == '\n';
        }

        private void trimLineEnd() {
            int end = out.length();
            while (end > 0 && (out.charAt(end - 1) == ' ' || out.charAt(end - 1) == '\t')) {
                end--;
            }
            out.setLength(end);
        }

        private static String marker(Element item) {
            Element list = item.parent();
            if (list == null || !list.normalName().equals("ol")) {
                return "- ";
            }
            int number = 1;
            for (Element before = item.previousElementSibling(); before != null; before = before.previousElementSibling()) {
                if (before.normalName().equals("li")) {
                    number++;
                }
            }
            return number + ". ";
        }

        /** At most one empty line in a row, none at either end, no spaces before a line break. */
        String text() {
            return out.toString().replace('\u00A0', ' ').replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
        }
    }
}
