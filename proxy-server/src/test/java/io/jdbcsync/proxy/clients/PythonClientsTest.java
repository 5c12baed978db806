package io.jdbcsync.proxy.clients;

import io.jdbcsync.proxy.ExternalClient;
import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyMySQL (pure Python) and mysqlclient (libmariadb) through the proxy; the checks are in the script. */
class PythonClientsTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String OTHER_USER = "reporter";
    private static final String OTHER_PASSWORD = "other-pw";
    static RunningProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = RunningProxy.start(java.nio.file.Files.createTempDirectory("proxy-log"),
                c -> c.withUsers(Map.of(RunningProxy.USER, RunningProxy.PASSWORD, OTHER_USER, OTHER_PASSWORD)));
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pymysql", "MySQLdb"})
    void pythonAppWorksThroughTheProxy(String module) throws Exception {
        ExternalClient.require(PYTHON, "apt-get install python3");
        ExternalClient.Result probe = ExternalClient.runAny(List.of(PYTHON, "-c", "import " + module), Map.of(), null, 60);
        assertTrue(probe.exit() == 0, module + " is not installed (apt-get install -y python3-pymysql python3-mysqldb): "
                + probe.output());
        runScript("python_client.py", module);
    }

    /** Runs a client script, which prints OK when all its checks passed; returns its output. */
    private static String runScript(String script, String module, String... more) throws Exception {
        ExternalClient.require(PYTHON, "apt-get install python3");
        List<String> command = new java.util.ArrayList<>(List.of(PYTHON, ClientScripts.extract(script).toString(),
                module.equals("pymysql") ? "pymysql" : "mysqldb", "127.0.0.1", String.valueOf(proxy.port()),
                RunningProxy.USER, RunningProxy.PASSWORD, proxy.database()));
        command.addAll(List.of(more));
        String out = ExternalClient.run(command, Map.of(), null, 120);
        assertTrue(out.contains("OK"), out);
        return out;
    }

    /** Multi-statement texts with both; COM_CHANGE_USER with mysqlclient (PyMySQL has no change_user). */
    @ParameterizedTest
    @ValueSource(strings = {"pymysql", "MySQLdb"})
    void multiStatementsAndChangeUser(String module) throws Exception {
        runScript("python_sessions.py", module, OTHER_USER, OTHER_PASSWORD);
        String table = "ms_" + (module.equals("pymysql") ? "pymysql" : "mysqldb");
        long captured = proxy.db().logRows().stream().filter(r -> table.equals(r[1])).count();
        // Three inserted rows and one update, plus the insert after COM_CHANGE_USER with mysqlclient.
        assertEquals(module.equals("pymysql") ? 4 : 5, captured, "every write of the texts captured");
    }

    /** CONNECTION_ID(), SHOW PROCESSLIST, KILL and LAST_INSERT_ID() of multiplexed sessions; the checks are in the script. */
    @ParameterizedTest
    @ValueSource(strings = {"pymysql", "MySQLdb"})
    void sessionIdsAndLastInsertIdAreTheSessions(String module) throws Exception {
        runScript("python_session_ids.py", module);
        // The script's last session ends with its connection: the proxy gives the backend back on its own thread.
        proxy.awaitBackendInUse(0, "neither the ids nor the keys kept a backend connection");
    }
}
