package io.vigil.server.notify;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * How new notifications reach the dispatcher's workers.
 *
 * <ul>
 *   <li><b>Hand-off</b>: while this server's dispatcher runs, a notification committed here is
 *       written already claimed by this server ({@code sending}, with a lease) and handed to a worker
 *       in memory after the commit: the first attempt needs no database round trip. If this server
 *       stops before sending it, the lease expires and any replica sends it.</li>
 *   <li><b>Wake-up</b>: otherwise (and for a NOTIFY from another replica) a worker is woken to claim
 *       from the table. A generation counter makes sure no wake-up between "nothing due" and "wait"
 *       is lost. One wake-up wakes one worker; a worker that found something wakes the next, so a
 *       burst spreads over the workers while a single notification costs one claim.</li>
 * </ul>
 */
@Singleton
public class DispatchSignal {

    /** More hand-offs than this waiting: new notifications go through the table instead. */
    static final int MAX_HANDED = 256;

    /** A notification claimed at insert, waiting for a worker. */
    record Handed(long id, String channel, NotificationMessage message) {
    }

    private final Deque<Handed> handed = new ArrayDeque<>();
    private long generation;
    private boolean accepting;

    public synchronized void wake() {
        generation++;
        notify();
    }

    /** Wakes every worker (shutdown). */
    synchronized void wakeAll() {
        generation++;
        notifyAll();
    }

    /** Whether a notification written now may be claimed for this server's workers. */
    synchronized boolean acceptsHandOff() {
        return accepting && handed.size() < MAX_HANDED;
    }

    /** Gives a committed, already claimed notification to a worker. */
    synchronized void handOff(Handed h) {
        handed.add(h);
        wake();
    }

    synchronized @Nullable Handed takeHanded() {
        return handed.poll();
    }

    /** Opens (dispatcher started) or closes (stopping) the hand-off; closing returns what was still waiting. */
    synchronized List<Handed> accepting(boolean open) {
        accepting = open;
        if (open) {
            return List.of();
        }
        List<Handed> left = new ArrayList<>(handed);
        handed.clear();
        return left;
    }

    /** The current generation, to pass to {@link #await}. */
    synchronized long generation() {
        return generation;
    }

    /** Waits until woken after {@code seen} was read, or for {@code millis}. */
    synchronized void await(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (generation == seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
