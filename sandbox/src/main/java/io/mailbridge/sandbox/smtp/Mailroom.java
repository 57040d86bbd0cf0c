package io.mailbridge.sandbox.smtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What the relay received, in arrival order, with waits that tests can put a deadline on. */
final class Mailroom {
    private final List<RelayedMail> accepted = new ArrayList<>();
    private final List<RefusedMail> refused = new ArrayList<>();

    synchronized void accept(RelayedMail mail) {
        accepted.add(mail);
        notifyAll();
    }

    synchronized void refuse(RefusedMail mail) {
        refused.add(mail);
        notifyAll();
    }

    synchronized List<RelayedMail> accepted() {
        return List.copyOf(accepted);
    }

    synchronized List<RefusedMail> refused() {
        return List.copyOf(refused);
    }

    /** Waits until at least {@code count} accepted messages match, and returns all that do. */
    synchronized List<RelayedMail> awaitAccepted(int count, Predicate<? super RelayedMail> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<RelayedMail> found = accepted.stream().filter(matching).toList();
            if (found.size() >= count) {
                return found;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("Expected " + count + " matching message(s) at the SMTP relay within " + timeout
                        + ", found " + found.size() + " among " + accepted.size() + " accepted and "
                        + refused.size() + " refused");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for mail at the SMTP relay", e);
            }
        }
    }
}
