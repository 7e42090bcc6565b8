package dev.souq.notification.messaging;

/**
 * The subscription went live, at start or again after it was lost: a session end announced before
 * that, while it was down, was not heard here, and pub/sub keeps none to replay (the order updates
 * it missed come from the stream; ends are only announced). Fired on the event loop that ended the
 * catch-up.
 */
public record SubscriptionLive() {}
