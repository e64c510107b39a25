package io.vigil.plugin.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.time.Duration;

/**
 * Makes docker-java clients for one engine. docker-java does not negotiate the API version: it
 * sends unversioned paths unless told one, and engines from 29 on refuse old versions, so the
 * version is pinned ({@code api_version}, default 1.41, what Debian's engine speaks) or, with
 * {@code auto}, read once from the engine's {@code /version}.
 *
 * <p>Two clients per connection: one for requests (list, inspect, ping, stats) with timeouts,
 * and one for the event stream without a response timeout, since a quiet engine sends nothing for
 * hours; the monitor's watchdog pings instead.
 */
final class EngineConnection implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private final DockerClient requests;
    private final DockerClient stream;
    private final String apiVersion;

    private EngineConnection(DockerClient requests, DockerClient stream, String apiVersion) {
        this.requests = requests;
        this.stream = stream;
        this.apiVersion = apiVersion;
    }

    /**
     * Connects (lazily: nothing is sent until the first request) with the settings' API version,
     * asking the engine for it first when the setting is {@code auto}.
     */
    static EngineConnection open(DockerSettings settings, DockerTls tls) throws IOException {
        String version = settings.apiVersion();
        if (version.equals("auto")) {
            try (DockerClient probe = client(settings, tls, null, RESPONSE_TIMEOUT)) {
                Version v = probe.versionCmd().exec();
                version = v.getApiVersion();
            }
        }
        return new EngineConnection(client(settings, tls, version, RESPONSE_TIMEOUT), client(settings, tls, version, null),
                version);
    }

    private static DockerClient client(DockerSettings settings, DockerTls tls, String version, Duration responseTimeout) {
        DefaultDockerClientConfig.Builder config = new DefaultDockerClientConfig.Builder()
                .withDockerHost(settings.host().toString())
                .withDockerTlsVerify(tls != null);
        config.withApiVersion(version == null ? RemoteApiVersion.unknown() : RemoteApiVersion.parseConfig(version));
        if (tls != null) {
            config.withCustomSslConfig(tls);
        }
        DefaultDockerClientConfig built = config.build();
        ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(built.getDockerHost())
                .sslConfig(built.getSSLConfig())
                .maxConnections(16)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(built, http.build());
    }

    DockerClient requests() {
        return requests;
    }

    DockerClient stream() {
        return stream;
    }

    String apiVersion() {
        return apiVersion;
    }

    @Override
    public void close() {
        closeQuietly(stream);
        closeQuietly(requests);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a dead connection has nothing left to report
        }
    }
}
