# A Docker engine for the docker plugin's tests (sourced by .ci/run: bash, set -euo pipefail, root).
# Installs Debian's docker.io (engine 20.10, API 1.41) when no engine answers, starts dockerd
# without iptables (no NAT needed: the test containers use no network), waits for the socket and
# builds the local busybox image the tests run, since no registry is reachable.

docker_cli=/usr/bin/docker
docker_sock=/var/run/docker.sock
docker_test_image=vigil-test/busybox:latest

docker_answers() { [ -S "$docker_sock" ] && DOCKER_API_VERSION=1.41 "$docker_cli" version >/dev/null 2>&1; }

if ! [ -x "$docker_cli" ] || ! docker_answers; then
  if ! [ -x /usr/sbin/dockerd ] || ! [ -x "$docker_cli" ] || ! [ -x /bin/busybox ]; then
    log "installing docker.io and busybox-static"
    apt_install docker.io busybox-static
  fi
  if ! docker_answers; then
    log "starting dockerd (log: /var/log/vigil-dockerd.log)"
    # a dockerd that was killed leaves its pid file and maybe its containerd, which the next
    # dockerd would wait for: end that containerd (by the pid it recorded) and clear the files
    containerd_pid_file=/var/run/docker/containerd/containerd.pid
    if [ -f "$containerd_pid_file" ]; then
      stale=$(cat "$containerd_pid_file")
      if [ -n "$stale" ] && [ -d "/proc/$stale" ] && ! grep -q '^State:.*Z' "/proc/$stale/status" \
         && grep -q containerd "/proc/$stale/comm"; then
        log "ending containerd $stale left by an earlier dockerd"
        kill "$stale" || true
        for _ in $(seq 1 20); do [ -d "/proc/$stale" ] || break; sleep 0.25; done
      fi
      rm -f "$containerd_pid_file"
    fi
    rm -f /var/run/docker.pid
    nohup /usr/sbin/dockerd --iptables=false --host "unix://$docker_sock" \
      >/var/log/vigil-dockerd.log 2>&1 </dev/null &
    for _ in $(seq 1 60); do docker_answers && break; sleep 1; done
  fi
fi
docker_answers || { log "no Docker engine answers on $docker_sock; see /var/log/vigil-dockerd.log"; tail -n 20 /var/log/vigil-dockerd.log || true; exit 1; }
log "Docker engine ready: $(DOCKER_API_VERSION=1.41 "$docker_cli" version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

# The test image: /bin/busybox from busybox-static and its applets as symlinks, imported as-is.
if ! DOCKER_API_VERSION=1.41 "$docker_cli" image inspect "$docker_test_image" >/dev/null 2>&1; then
  [ -x /bin/busybox ] || apt_install busybox-static
  rootfs=$(mktemp -d)
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/etc"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in sh sleep cat echo head dd true false kill yes env ls ps tail; do
    ln -s busybox "$rootfs/bin/$applet"
  done
  tar -C "$rootfs" -c . | DOCKER_API_VERSION=1.41 "$docker_cli" import \
    --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin' - "$docker_test_image" >/dev/null
  rm -rf "$rootfs"
  log "built test image $docker_test_image"
fi

# The docker plugin's tests fail, rather than skip, when this is set and no engine answers.
export VIGIL_REQUIRE_DOCKER=1
