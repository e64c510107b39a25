package io.vigil.server.notify;

import io.vigil.server.crypto.Secret;

import java.util.List;

/**
 * A configured destination of notifications (one entry of {@code channels:} in the routing file),
 * able to deliver one notification. Implemented once per channel type, each in its own package
 * ({@code notify.slack}, {@code notify.webhook}, ...).
 */
public interface Channel {

    /** The name routes refer to. */
    String name();

    /** {@code slack}, {@code webhook}, {@code email}, {@code telegram}, {@code pagerduty}. */
    String type();

    /**
     * Delivers one notification, once. Called by a dispatcher worker thread, never concurrently
     * for one notification; may block up to the channel's timeout. Must not throw for delivery
     * failures: it classifies them in the result, and its error text must not contain a secret.
     *
     * @param notificationId the outbox row's id, stable across retries (an idempotency key for receivers)
     */
    DeliveryResult send(long notificationId, NotificationMessage message);

    /** The channel's secrets, which the dispatcher removes from any error text as a second line of defence. */
    List<Secret> secrets();
}
