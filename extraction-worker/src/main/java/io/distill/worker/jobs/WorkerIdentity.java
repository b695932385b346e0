package io.distill.worker.jobs;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** This process's name in leases and logs: host, pid and a random suffix, unique per start. */
@ApplicationScoped
public class WorkerIdentity {
    private final String id;

    public WorkerIdentity() {
        String host = System.getenv().getOrDefault("HOSTNAME", "worker");
        this.id = host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String id() {
        return id;
    }
}
