package io.vigil.agent.spool;

import java.util.List;

/**
 * The oldest items of the spool, in order, to be sent as one request. The items stay in the
 * spool until {@link Spool#acknowledge(SpoolBatch)}.
 *
 * @param lastSeq highest sequence number in the batch
 * @param events  encoded events
 * @param metrics encoded metric samples
 * @param bytes   total encoded size
 */
public record SpoolBatch(long lastSeq, List<byte[]> events, List<byte[]> metrics, long bytes) {

    public int size() {
        return events.size() + metrics.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }
}
