package io.jdbcsync.internal.engine;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

/** Records the SQL a test sends (with bound values), to explain a failing random scenario. */
final class TraceConnection {
    private TraceConnection() {
    }

    static Connection wrap(Connection c, String who, List<String> trace) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, a) -> {
                    Object result = m.invoke(c, a);
                    if (m.getName().equals("prepareStatement")) {
                        return tracePs((PreparedStatement) result, who + " " + a[0], trace);
                    }
                    if (m.getName().equals("createStatement")) {
                        return traceSt((Statement) result, who, trace);
                    }
                    if (m.getName().equals("commit") || m.getName().equals("rollback")) {
                        trace.add(who + " " + m.getName());
                    }
                    return result;
                });
    }

    private static PreparedStatement tracePs(PreparedStatement ps, String sql, List<String> trace) {
        StringBuilder params = new StringBuilder();
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
                    if (m.getName().startsWith("set") && a != null && a.length >= 2) {
                        params.append(a[1]).append(", ");
                    }
                    if (m.getName().startsWith("execute")) {
                        trace.add(sql + " [" + params + "]");
                        params.setLength(0);
                    }
                    try {
                        return m.invoke(ps, a);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static Statement traceSt(Statement st, String who, List<String> trace) {
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                (p, m, a) -> {
                    if (m.getName().startsWith("execute") && a != null && a.length > 0) {
                        trace.add(who + " " + a[0]);
                    }
                    try {
                        return m.invoke(st, a);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
