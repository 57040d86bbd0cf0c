package io.mailbridge.sandbox.http;

import static io.mailbridge.html.HtmlEscaping.escape;

/** The page frame the sandbox's pages share. */
public final class Html {
    private Html() {
    }

    /** A complete, JavaScript-free page; the title is escaped here, the body is already safe markup. */
    public static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title>
                <style>
                body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;overflow-wrap:anywhere}
                fieldset{border:1px solid #8a8886;padding:1rem;margin:1rem 0}
                button{font-size:1rem;padding:.5rem 1.25rem;margin-right:.5rem}
                button:focus,input:focus,textarea:focus{outline:3px solid #0f6cbd;outline-offset:2px}
                label{display:block;margin:.4rem 0}
                table{border-collapse:collapse;width:100%%}td,th{border:1px solid #c8c6c4;padding:.3rem;text-align:left}
                .note{color:#605e5c}
                </style>
                </head>
                <body>
                <main>
                %s
                </main>
                </body>
                </html>
                """.formatted(escape(title), body);
    }
}
