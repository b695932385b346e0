package io.distill.testinfra;

import io.distill.model.Topics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (KRaft, broker and controller combined) in this JVM, from
 * {@code kafka_2.13} alone: no Docker, no separate process to forget.
 */
public final class KraftBroker implements AutoCloseable {
    /** Several partitions, so that concurrent workers and consumer groups are exercised for real. */
    public static final int PARTITIONS = 4;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dir;
    private final boolean deleteOnClose;

    private KraftBroker(KafkaRaftServer server, String bootstrapServers, Path dir, boolean deleteOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.deleteOnClose = deleteOnClose;
    }

    public static KraftBroker start() throws Exception {
        return start(Files.createTempDirectory("kraft-"), Ports.free(), Ports.free(), true);
    }

    /** Starts on the given ports; formats {@code dir} only if it holds no cluster yet. */
    public static KraftBroker start(Path dir, int brokerPort, int controllerPort, boolean deleteOnClose)
            throws Exception {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("num.partitions", String.valueOf(PARTITIONS));
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        KafkaConfig config = new KafkaConfig(p, false);

        if (!Files.exists(dir.resolve("meta.properties"))) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        KraftBroker broker = new KraftBroker(server, "127.0.0.1:" + brokerPort, dir, deleteOnClose);
        broker.createTopics(Topics.JOBS, Topics.JOB_EVENTS, Topics.JOBS_DEAD_LETTER, Topics.RUN_EVENTS);
        return broker;
    }

    /**
     * Declares the topics up front, as production does: a consumer that starts before a topic
     * exists only notices it at its next metadata refresh (minutes later).
     */
    public void createTopics(String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = Arrays.stream(names)
                    .filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, PARTITIONS, (short) 1))
                    .toList();
            admin.createTopics(missing).all().get();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            Files2.deleteTree(dir);
        }
    }

    /** {@code java -cp … KraftBroker DATA_DIR BROKER_PORT CONTROLLER_PORT}: the local stack's broker, until killed. */
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        KraftBroker broker = start(dir, Integer.parseInt(args[1]), Integer.parseInt(args[2]), false);
        System.out.println("Kafka (KRaft) up at " + broker.bootstrapServers() + " in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
        Thread.currentThread().join();
    }
}
