/**
 * The Sent-folder reconciliation: keeps each mailbox's Sent Items and the CRM in step, on a timer
 * (MAILBRIDGE_SENT_RECONCILIATION_SCHEDULE) that queues one job per mailbox ({@code sent-reconciliation}).
 *
 * <table>
 * <caption>What a job does, by connection</caption>
 * <tr><th></th><th>FULL</th><th>RESTRICTED</th></tr>
 * <tr><td>2-way</td><td>write-back, then Sent Items to the CRM</td><td>Sent Items to the CRM</td></tr>
 * <tr><td>1-way</td><td>write-back</td><td>no job</td></tr>
 * </table>
 *
 * <p><b>Sent Items to the CRM</b> is one run of the inbound delta sync on folder {@code sentitems}
 * ({@link io.mailbridge.inbound.FolderSync}); change notifications on Sent Items stay the fast path, and
 * both take the same folder lease, so they never run at once. Mail with a prospect among its
 * participants reaches the CRM once per CRM user, keyed by its Message-ID, as one of two events:
 * <ul>
 * <li>{@code email.sent}: mail the user sent from Outlook or any other client; new to the CRM.</li>
 * <li>{@code email.sent_by_crm}: the CRM's own mail, sent through the mailbox or written back after the
 *     custom relay, recognised by the product's mark ({@link io.mailbridge.outbound.GraphSender#SEND_ID_PROPERTY},
 *     read with the body). Its {@code data.crmSendId} is the send id the send request answered with, so the
 *     CRM files the mailbox's copy (graphMessageId, conversationId) under the message it already has.</li>
 * </ul>
 * Both carry the same data as {@code email.received} (ids, participants, prospects, times, bodies,
 * attachment metadata), {@code source} SENT_ITEMS, and an event id that is the same for the same mail.
 *
 * <p><b>Write-back</b> ({@link io.mailbridge.sentsync.SentItemsWriteBack}) copies the CRM's mail that left by
 * the custom SMTP relay (outbox rows with WriteBack PENDING) into Sent Items as sent, not draft mail, once.
 * Rows of mailboxes that were disconnected or became RESTRICTED never will be: the housekeeping timer
 * ({@link io.mailbridge.housekeeping.Housekeeping}) marks them ABANDONED and deletes their content.
 *
 * <p>{@link io.mailbridge.inbound.InboundSync#sweep()} no longer sweeps Sent Items: this job runs the same
 * delta on them, so a second sweep would only repeat its Graph call.
 */
package io.mailbridge.sentsync;
