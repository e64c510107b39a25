-- The credential vault (io.vigil.server.vault): secrets the server uses (channel tokens, SMTP
-- passwords, webhook HMAC keys, API keys), encrypted with the server's keyring. The value is only
-- ever stored as ciphertext (enc:v2:<kid>:..., bound to the secret's name); the key id is kept in
-- its own column so that re-encryption and "which rows still need the old key" are plain queries.
CREATE TABLE secrets (
    name                    text PRIMARY KEY,
    type                    text NOT NULL CHECK (type IN ('notification_token', 'smtp_password', 'webhook_hmac',
                                                          'api_key', 'other')),
    ciphertext              text NOT NULL,
    key_id                  text NOT NULL,
    created_at              timestamptz NOT NULL,
    created_by              text NOT NULL,
    expires_at              timestamptz,
    last_used_at            timestamptz,
    usage_count             bigint NOT NULL DEFAULT 0,
    rotated_at              timestamptz,
    rotated_by              text,
    -- the value before the last rotation, still valid until previous_valid_until (the grace period)
    previous_ciphertext     text,
    previous_key_id         text,
    previous_valid_until    timestamptz,
    -- the expires_at for which server.secret.expiring / .expired was emitted: once per expiry date,
    -- claimed by an UPDATE so that restarts and replicas do not repeat it
    expiring_notified_for   timestamptz,
    expired_notified_for    timestamptz,
    CHECK ((previous_ciphertext IS NULL) = (previous_valid_until IS NULL))
);
CREATE INDEX secrets_expires_at ON secrets (expires_at) WHERE expires_at IS NOT NULL;

-- Who did what to which secret, never a value. Reads are audited at most once per secret and caller
-- per vigil.vault.read-audit-interval (usage_count above is exact).
CREATE TABLE secret_audit (
    id          bigserial PRIMARY KEY,
    time        timestamptz NOT NULL,
    secret_name text NOT NULL,
    action      text NOT NULL CHECK (action IN ('created', 'read', 'rotated', 'deleted', 'reencrypted',
                                                'expiring_notified', 'expired_notified')),
    actor       text NOT NULL,
    detail      text
);
CREATE INDEX secret_audit_by_secret ON secret_audit (secret_name, id);
