package io.vigil.server.agent;

/** Registration of a name that is already registered. Answered with 409. */
public final class AgentNameTakenException extends RuntimeException {

    public AgentNameTakenException(String name) {
        super("an agent named '" + name + "' already exists; choose another name");
    }
}
