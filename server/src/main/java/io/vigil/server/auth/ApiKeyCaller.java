package io.vigil.server.auth;

/**
 * A person or tool holding an API key.
 *
 * @param id   api_keys.id
 * @param name api_keys.name, chosen when the key was created
 * @param role the key's role: {@link Role#VIEWER}, {@link Role#OPERATOR} or {@link Role#ADMIN}
 */
public record ApiKeyCaller(long id, String name, Role role) implements Caller {

    @Override
    public String displayName() {
        return "key:" + name;
    }
}
