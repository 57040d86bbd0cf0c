package io.mailbridge.telemetry;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends the app's log records to the Functions host through the invocation's own logger
 * ({@code ExecutionContext.getLogger()}), which ties each line to its invocation id in the host's logs and in
 * Application Insights. The app keeps logging through its static java.util.logging loggers: one handler on the
 * {@code io.mailbridge} logger forwards every record made while an invocation runs, with its structured fields
 * appended; records made outside any invocation go to the root handlers as before.
 */
public final class InvocationLog extends Handler {
    /** Held strongly: java.util.logging keeps loggers only weakly, and with them this handler. */
    private static final Logger APP = Logger.getLogger("io.mailbridge");
    private static final Logger ROOT = Logger.getLogger("");
    private static final ContextKey<Fields> FIELDS = ContextKey.named("mailbridge.invocation");
    private static final Formatter MESSAGES = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };

    /**
     * What every line of one invocation says about it: operation (the function), invocation id, and once known
     * the CRM account and the mailbox, by its hash ({@code MailboxConnection.logName}), never by its address.
     */
    static final class Fields {
        private final String operation;
        private final String invocationId;
        private final Logger target;
        private volatile String account;
        private volatile String mailbox;

        Fields(String operation, String invocationId, Logger target) {
            this.operation = operation;
            this.invocationId = invocationId;
            this.target = target;
        }

        String describe() {
            return "[operation=" + operation + " invocationId=" + invocationId
                    + (account == null ? "" : " account=" + account) + (mailbox == null ? "" : " mailbox=" + mailbox) + "]";
        }
    }

    private InvocationLog() {}

    /** Installs the one handler; later calls change nothing. */
    static synchronized void install() {
        for (Handler handler : APP.getHandlers()) {
            if (handler instanceof InvocationLog) {
                return;
            }
        }
        APP.addHandler(new InvocationLog());
        // The handler decides where each record goes; passing it on as well would log every line twice.
        APP.setUseParentHandlers(false);
    }

    static Context bind(Context context, Fields fields) {
        return context.with(FIELDS, fields);
    }

    /** Names the CRM account the current invocation works on, in its log lines and on its span. */
    public static void account(String accountId) {
        Span.current().setAttribute("mailbridge.account", accountId);
        Fields fields = Context.current().get(FIELDS);
        if (fields != null) {
            fields.account = accountId;
        }
    }

    /**
     * Names the account and mailbox the current invocation works on, in its log lines and on its span.
     *
     * @param mailboxLogName the mailbox's hash from {@code MailboxConnection.logName()}, never the address
     */
    public static void mailbox(String accountId, String mailboxLogName) {
        account(accountId);
        Span.current().setAttribute("mailbridge.mailbox", mailboxLogName);
        Fields fields = Context.current().get(FIELDS);
        if (fields != null) {
            fields.mailbox = mailboxLogName;
        }
    }

    @Override
    public void publish(LogRecord record) {
        Fields fields = Context.current().get(FIELDS);
        if (fields == null) {
            for (Handler handler : ROOT.getHandlers()) {
                handler.publish(record);
            }
            return;
        }
        LogRecord forwarded = new LogRecord(record.getLevel(), MESSAGES.format(record) + " " + fields.describe());
        forwarded.setLoggerName(record.getLoggerName());
        forwarded.setInstant(record.getInstant());
        forwarded.setSourceClassName(record.getSourceClassName());
        forwarded.setSourceMethodName(record.getSourceMethodName());
        forwarded.setThrown(record.getThrown());
        fields.target.log(forwarded);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
