package chuyi;

import java.nio.file.Path;
import java.util.List;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Runs a real Neo4j 5 server in this JVM with Bolt on 127.0.0.1:PORT, working files under RUN_DIR and
 * APOC core loaded from PLUGIN_DIR. With DATA_DIR the databases live there and survive a restart (the fault
 * tests stop and start the same database); without it they live under RUN_DIR and go with it.
 * Prints one READY line once Bolt answers, then serves until the process is told to stop.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: Neo4jLauncher PORT RUN_DIR PLUGIN_DIR [DATA_DIR]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Path run = Path.of(args[1]);
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(run)
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .withConfig(HttpConnector.enabled, false)
                .withConfig(HttpsConnector.enabled, false)
                .withConfig(GraphDatabaseSettings.auth_enabled, false)
                .withConfig(GraphDatabaseSettings.plugin_dir, Path.of(args[2]).toAbsolutePath())
                .withConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"));
        if (args.length == 4) {
            builder = builder.withConfig(GraphDatabaseSettings.data_directory, Path.of(args[3]).toAbsolutePath());
        }
        Neo4j neo4j = builder.build();
        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close, "neo4j-shutdown"));
        System.out.println("READY " + neo4j.boltURI());
        System.out.flush();
        Thread.currentThread().join();
    }
}
