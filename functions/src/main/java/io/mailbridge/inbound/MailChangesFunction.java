package io.mailbridge.inbound;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.mailbridge.storage.StorageNames;

/** Runs delta sync for the folders a webhook POST (or a catch-up request) named. */
public final class MailChangesFunction {
    private final InboundSync sync;

    public MailChangesFunction(InboundSync sync) {
        this.sync = sync;
    }

    @FunctionName("mailChanges")
    public void run(@QueueTrigger(name = "message", queueName = StorageNames.MAIL_CHANGES_QUEUE, connection = "AzureWebJobsStorage")
            String message) {
        sync.process(message);
    }
}
