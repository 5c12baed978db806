package io.jdbcsync.proxy.clients;

import io.jdbcsync.proxy.ExternalClient;
import io.jdbcsync.proxy.RunningProxy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Node's mysql2 through the proxy, with query() (text protocol) and execute() (server-side
 * prepared statements). mysql2 is installed from npm into target/node on first use.
 */
class NodeMysql2Test {
    static final String MYSQL2 = "mysql2@3.24.6";

    static Path installMysql2() throws Exception {
        Path dir = Path.of("target", "node").toAbsolutePath();
        if (!Files.exists(dir.resolve("node_modules/mysql2/package.json"))) {
            String npm = ExternalClient.require("npm", "apt-get install -y nodejs npm");
            Files.createDirectories(dir);
            ExternalClient.run(List.of(npm, "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
                    "--no-save", MYSQL2), Map.of(), dir, 600);
        }
        return dir.resolve("node_modules");
    }

    @Test
    void nodeAppWorksThroughTheProxy() throws Exception {
        String node = ExternalClient.require("node", "apt-get install -y nodejs npm");
        Path modules = installMysql2();
        try (RunningProxy proxy = RunningProxy.start()) {
            String out = ExternalClient.run(List.of(node, ClientScripts.extract("node_client.js").toString(),
                    "127.0.0.1", String.valueOf(proxy.port()), RunningProxy.USER, RunningProxy.PASSWORD, proxy.database()),
                    Map.of("NODE_PATH", modules.toString()), null, 120);
            assertTrue(out.contains("OK mysql2"), out);
        }
    }
}
