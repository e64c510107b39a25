package io.vigil.plugin.docker;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Docker engine the specifications run against, on /var/run/docker.sock. Without one the
 * tests skip with a message on a developer machine, and fail where {@code VIGIL_REQUIRE_DOCKER=1}
 * (CI, set by .ci/services/docker.sh). Containers the tests make carry {@link #LABEL} and are
 * removed by {@link #removeTestContainers()}.
 */
final class TestEngine implements AutoCloseable {

    static final String SOCKET = "unix:///var/run/docker.sock";
    static final String IMAGE = "vigil-test/busybox:latest";
    static final String LABEL = "vigil.test";
    static final String LABEL_VALUE = "docker-plugin";
    private static final List<String> APPLETS = List.of("sh", "sleep", "cat", "echo", "head", "dd", "true", "false",
            "kill", "yes", "env", "ls", "ps", "tail", "touch", "rm");

    final DockerClient docker;

    private TestEngine(DockerClient docker) {
        this.docker = docker;
    }

    /** The engine, with the test image built if it was missing; skips or fails when there is none. */
    static TestEngine connect() {
        DefaultDockerClientConfig config = new DefaultDockerClientConfig.Builder().withDockerHost(SOCKET)
                .withApiVersion(RemoteApiVersion.VERSION_1_41).build();
        DockerClient docker = DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).responseTimeout(Duration.ofSeconds(60)).build());
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            String why = "no Docker engine answers on " + SOCKET + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); run .ci/services/docker.sh as root, or install docker.io and start dockerd";
            if ("1".equals(System.getenv("VIGIL_REQUIRE_DOCKER"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        TestEngine engine = new TestEngine(docker);
        engine.ensureImage();
        return engine;
    }

    /** Imports a busybox root file system as {@link #IMAGE} unless it exists (no registry needed). */
    private void ensureImage() {
        try {
            docker.inspectImageCmd(IMAGE).exec();
            return;
        } catch (NotFoundException missing) {
            // build it below
        }
        Path busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            fail("image " + IMAGE + " is missing and /bin/busybox is not there to build it: apt-get install busybox-static");
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                for (String dir : List.of("bin/", "tmp/", "proc/", "sys/", "dev/", "etc/")) {
                    TarArchiveEntry entry = new TarArchiveEntry(dir);
                    entry.setMode(dir.equals("tmp/") ? 01777 : 0755);
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                }
                TarArchiveEntry bin = new TarArchiveEntry("bin/busybox");
                byte[] content = Files.readAllBytes(busybox);
                bin.setSize(content.length);
                bin.setMode(0755);
                tar.putArchiveEntry(bin);
                tar.write(content);
                tar.closeArchiveEntry();
                for (String applet : APPLETS) {
                    TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarConstants.LF_SYMLINK);
                    link.setLinkName("busybox");
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                }
            }
            docker.createImageCmd("vigil-test/busybox", new ByteArrayInputStream(bytes.toByteArray()))
                    .withTag("latest").exec();
        } catch (IOException e) {
            throw new IllegalStateException("cannot build " + IMAGE, e);
        }
    }

    /** Creates a labelled test container without network; {@code customize} adds to it. */
    String create(String name, Consumer<CreateContainerCmd> customize, String... cmd) {
        CreateContainerCmd create = docker.createContainerCmd(IMAGE).withName(name).withCmd(cmd)
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"));
        customize.accept(create);
        Map<String, String> labels = new HashMap<>(create.getLabels() == null ? Map.of() : create.getLabels());
        labels.put(LABEL, LABEL_VALUE);
        return create.withLabels(labels).exec().getId();
    }

    /** Creates and starts a labelled test container. */
    String run(String name, Consumer<CreateContainerCmd> customize, String... cmd) {
        String id = create(name, customize, cmd);
        docker.startContainerCmd(id).exec();
        return id;
    }

    String run(String name, String... cmd) {
        return run(name, c -> { }, cmd);
    }

    /** Removes every container the tests made, running or not. */
    void removeTestContainers() {
        List<Container> mine = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL, LABEL_VALUE)).exec();
        for (Container c : mine) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            } catch (NotFoundException gone) {
                // removed meanwhile
            }
        }
    }

    @Override
    public void close() throws IOException {
        docker.close();
    }
}
