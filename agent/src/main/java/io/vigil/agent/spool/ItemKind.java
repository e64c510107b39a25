package io.vigil.agent.spool;

/** What a spooled item is; the overflow policy drops metric samples before events. */
public enum ItemKind {
    EVENT(0), METRIC(1);

    final int code;

    ItemKind(int code) {
        this.code = code;
    }

    static ItemKind of(int code) {
        return code == 0 ? EVENT : METRIC;
    }
}
