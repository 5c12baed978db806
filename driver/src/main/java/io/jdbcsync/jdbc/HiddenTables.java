package io.jdbcsync.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Metadata rows without the driver's own tables: schema validators, diff and migration tools see
 * the app's schema as it would be without sync. The rows pass through as the underlying driver
 * gives them (same columns, types and getters); rows naming a {@code _sync_} table are skipped.
 */
final class HiddenTables {
    static final String PREFIX = "_sync_";
    /**
     * SQLite names the index behind a UNIQUE or PRIMARY KEY constraint {@code sqlite_autoindex_<table>_<n>},
     * and sqlite-jdbc lists those indexes among the tables ("SYSTEM TABLE").
     */
    private static final String AUTOINDEX_PREFIX = "sqlite_autoindex_" + PREFIX;

    private HiddenTables() {
    }

    static boolean isHidden(String table) {
        return startsWith(table, PREFIX) || startsWith(table, AUTOINDEX_PREFIX);
    }

    private static boolean startsWith(String name, String prefix) {
        return name != null && name.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** {@code rows} without the rows whose {@code tableColumns} name one of the driver's tables. */
    static ResultSet filter(ResultSet rows, String... tableColumns) {
        if (rows == null) {
            return null;
        }
        return (ResultSet) Proxy.newProxyInstance(HiddenTables.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("next") && method.getParameterCount() == 0) {
                        while (rows.next()) {
                            if (!hidden(rows, tableColumns)) {
                                return true;
                            }
                        }
                        return false;
                    }
                    return delegate(rows, proxy, method, args);
                });
    }

    private static boolean hidden(ResultSet rows, String[] tableColumns) throws SQLException {
        for (String column : tableColumns) {
            if (isHidden(rows.getString(column))) {
                return true;
            }
        }
        return false;
    }

    private static Object delegate(ResultSet rows, Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "metadata rows without " + PREFIX + " tables: " + rows;
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                break;
            default:
                break;
        }
        try {
            return method.invoke(rows, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
