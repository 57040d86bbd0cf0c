package io.mailbridge.outbound;

import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.mailbridge.storage.StorageNames;

/** Works on one queued send: throttling and retries come back as delayed queue messages, never as exceptions. */
public final class OutboundMailFunction {
    private final OutboundSender sender;

    public OutboundMailFunction(OutboundSender sender) {
        this.sender = sender;
    }

    @FunctionName("outboundMail")
    public void run(@QueueTrigger(name = "message", queueName = StorageNames.OUTBOUND_MAIL_QUEUE, connection = "AzureWebJobsStorage")
            String message) {
        sender.process(message);
    }
}
