// A Neo4j Community server for tests: an embedded DatabaseManagementService with
// the Bolt connector on 127.0.0.1:<port>, authentication on, and the password of
// user "neo4j" set from the environment. Blocks until the JVM is told to stop
// (SIGTERM/SIGINT), then shuts the databases down cleanly.
//
// Started by scripts/neo4j-test-server, which compiles this file against the jars
// that scripts/neo4j/pom.xml resolves. Not a production server.
//
// usage: java -cp CLASSES:LIB/* TestServer HOME_DIR PORT
//   env TSUNAGARI_NEO4J_TEST_PASSWORD   the password to give user neo4j (8+ chars)
//   env TSUNAGARI_NEO4J_TEST_PAGECACHE  page cache size (default 128m)
// On success it writes HOME_DIR/ready (containing the process id) and prints READY.

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.logging.log4j.Log4jLogProvider;

public final class TestServer {
    private TestServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TestServer HOME_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = System.getenv("TSUNAGARI_NEO4J_TEST_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("TSUNAGARI_NEO4J_TEST_PASSWORD must be set (8 characters or more)");
            System.exit(2);
        }
        String pagecache = System.getenv().getOrDefault("TSUNAGARI_NEO4J_TEST_PAGECACHE", "128m");
        Files.createDirectories(home);

        Map<String, String> config = new TreeMap<>();
        config.put("server.default_listen_address", "127.0.0.1");
        config.put("server.default_advertised_address", "127.0.0.1");
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", "127.0.0.1:" + port);
        config.put("server.bolt.advertised_address", "127.0.0.1:" + port);
        config.put("server.bolt.tls_level", "DISABLED");
        config.put("dbms.security.auth_enabled", "true");
        config.put("server.memory.pagecache.size", pagecache);
        // stop in about a second, not ten (Bolt waits 5 s for connections and 5 s for its threads)
        config.put("internal.server.bolt.connection_shutdown_wait_time", "1s");
        config.put("internal.server.bolt.thread_pool_shutdown_wait_time", "1s");
        // keep the throw-away store small and quick to create
        config.put("db.tx_log.preallocate", "false");
        config.put("db.tx_log.rotation.retention_policy", "2 files");

        // written out as a neo4j.conf so that the settings in force can be read beside the store
        Path conf = home.resolve("neo4j.conf");
        StringBuilder text = new StringBuilder("# written by scripts/neo4j/TestServer.java\n");
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(conf, text);

        // The initial password for user neo4j: neo4j-admin's own `dbms set-initial-password`,
        // run in this JVM before the first start (it writes data/dbms/auth.ini, which the
        // system database takes up when it is created). Setting it afterwards with
        // ALTER USER also works but costs ~20 s of Cypher warm-up on a 2-core machine.
        int rc = new CommandLine(new SetInitialPasswordCommand(new ExecutionContext(home, home)))
                .execute(password);
        if (rc != 0) {
            System.err.println("set-initial-password failed with exit code " + rc);
            System.exit(1);
        }

        long started = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(conf)
                .setUserLogProvider(new Log4jLogProvider(System.out))
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping");
            try {
                dbms.shutdown();
            } finally {
                stopped.countDown();
            }
        }, "tsunagari-neo4j-shutdown"));

        long pid = ProcessHandle.current().pid();
        Path ready = home.resolve("ready");
        Files.writeString(ready.resolveSibling("ready.tmp"), Long.toString(pid) + "\n");
        Files.move(ready.resolveSibling("ready.tmp"), ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        System.out.printf("READY pid=%d bolt=127.0.0.1:%d in %d ms%n", pid, port,
                (System.nanoTime() - started) / 1_000_000);
        System.out.flush();
        stopped.await();
    }
}
