package io.jdbcsync.internal.jdbc;

import io.jdbcsync.internal.sql.Analysis;
import io.jdbcsync.testing.TestDatabase;
import io.jdbcsync.testing.TestDatabase.Kind;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLType;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delegation generated at build time: every method of the JDBC interface the wrapper does not
 * override reaches the same method of the wrapped object, with the same arguments (the same
 * objects, in the same order), and its result comes back unchanged. The wrapped object here records
 * the calls it gets, since no real driver reports which of its two hundred methods was called.
 */
class ForwardingContractTest {

    /** One call the wrapped object received. */
    record Call(Method method, Object[] args) { }

    @Test
    void resultSetCallsReachTheUnderlyingResultSet() throws Exception {
        List<Call> calls = new ArrayList<>();
        ResultSet raw = recording(ResultSet.class, calls);
        ResultSet wrapped = SyncResultSet.of(null, raw);
        int checked = checkForwarding(ResultSet.class, wrapped, calls, Set.of("getStatement", "unwrap", "isWrapperFor"));
        assertTrue(checked > 180, "checked " + checked);
    }

    @Test
    void metadataCallsReachTheUnderlyingMetadataAndRowsComeBackWrapped() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            List<Call> calls = new ArrayList<>();
            DatabaseMetaData raw = recording(DatabaseMetaData.class, calls);
            SyncDatabaseMetaData wrapped = new SyncDatabaseMetaData(c.unwrap(SyncConnection.class), raw);
            int checked = checkForwarding(DatabaseMetaData.class, wrapped, calls,
                    Set.of("getURL", "getConnection", "unwrap", "isWrapperFor"));
            assertTrue(checked > 160, "checked " + checked);
            assertSame(c, wrapped.getConnection());
            assertTrue(wrapped.getURL().startsWith("jdbc:sync:sqlite:"), wrapped.getURL());
        }
    }

    @Test
    void connectionAndStatementCallsTheDriverDoesNotHandleReachTheUnderlyingOnes() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            SyncConnection real = c.unwrap(SyncConnection.class);
            List<Call> calls = new ArrayList<>();
            SyncConnection connection = new SyncConnection(recording(Connection.class, calls), real.device(), "jdbc:sync:x",
                    io.jdbcsync.SyncOptions.from(new java.util.Properties(), Set.of()), null, SeveralStatements.NONE);
            int checked = checkForwarding(Connection.class, connection, calls, Set.of());
            assertTrue(checked > 25, "checked " + checked);

            calls.clear();
            java.sql.Statement statement = new SyncStatement(real, recording(java.sql.Statement.class, calls));
            checked = checkForwarding(java.sql.Statement.class, statement, calls, Set.of());
            assertTrue(checked > 20, "checked " + checked);
        }
    }

    @Test
    void outAndNamedParametersReachTheUnderlyingCallableStatement() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.SQLITE); Connection c = db.openSync()) {
            List<Call> calls = new ArrayList<>();
            CallableStatement call = recording(CallableStatement.class, calls);
            PreparedStatement prepared = recording(PreparedStatement.class, new ArrayList<>());
            SyncConnection connection = c.unwrap(SyncConnection.class);
            var constructor = SyncCallableStatement.class.getDeclaredConstructor(SyncConnection.class, Analysis.class,
                    PreparedStatement.class, CallableStatement.class);
            constructor.setAccessible(true);
            CallableStatement wrapped = constructor.newInstance(connection, connection.analyze("CALL my_procedure(?)"),
                    prepared, call);
            int checked = 0;
            for (Method m : CallableStatement.class.getDeclaredMethods()) {
                if (!Modifier.isStatic(m.getModifiers())) {
                    checkOne(m, wrapped, calls, CallableStatement.class);
                    checked++;
                }
            }
            assertTrue(checked > 100, "checked " + checked);
        }
    }

    private static int checkForwarding(Class<?> iface, Object wrapped, List<Call> calls, Set<String> overridden)
            throws Exception {
        int checked = 0;
        for (Method m : iface.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || overridden.contains(m.getName())
                    || !generated(wrapped.getClass().getMethod(m.getName(), m.getParameterTypes()))) {
                continue;
            }
            checkOne(m, wrapped, calls, iface);
            checked++;
        }
        return checked;
    }

    /**
     * True when the wrapper's method is the generated one (not one the driver overrides by hand); a
     * public wrapper holds javac's access bridges to the generated methods of its package-private base.
     */
    private static boolean generated(Method implementation) {
        return implementation.isBridge() || implementation.getDeclaringClass().getSimpleName().startsWith("Forwarding");
    }

    private static void checkOne(Method m, Object wrapped, List<Call> calls, Class<?> iface) throws Exception {
        calls.clear();
        Object[] args = arguments(m);
        Object result;
        try {
            result = m.invoke(wrapped, args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(m + " failed", e.getCause());
        }
        assertEquals(1, calls.size(), m + " made " + calls.size() + " calls to the wrapped object");
        Call got = calls.get(0);
        assertEquals(m.getName(), got.method().getName(), m.toString());
        assertEquals(List.of(m.getParameterTypes()), List.of(got.method().getParameterTypes()), m.toString());
        for (int i = 0; i < args.length; i++) {
            if (m.getParameterTypes()[i].isPrimitive()) {
                assertEquals(args[i], got.args()[i], m + " argument " + i); // boxed again on the way
            } else {
                assertSame(args[i], got.args()[i], m + " argument " + i);
            }
        }
        if (m.getReturnType() == ResultSet.class && iface == DatabaseMetaData.class) {
            // handed to the app as the driver's own result set (owner: none), the driver tables' rows hidden
            assertNotNull(result, m.toString());
            assertFalse(Proxy.isProxyClass(result.getClass()), m.toString());
            assertEquals(null, ((ResultSet) result).getStatement(), m.toString());
        } else if (m.getReturnType() != void.class) {
            assertEquals(returned(m.getReturnType()), result, m.toString());
        }
    }

    /** A distinct argument per position: swapped arguments would not arrive in their places. */
    private static Object[] arguments(Method m) throws Exception {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = sample(types[i], i + 1);
        }
        return args;
    }

    private static Object sample(Class<?> t, int n) throws Exception {
        if (t == int.class) {
            return n;
        }
        if (t == long.class) {
            return (long) n;
        }
        if (t == short.class) {
            return (short) n;
        }
        if (t == byte.class) {
            return (byte) n;
        }
        if (t == float.class) {
            return (float) n;
        }
        if (t == double.class) {
            return (double) n;
        }
        if (t == boolean.class) {
            return n % 2 == 1;
        }
        if (t == String.class) {
            return "s" + n;
        }
        if (t == Object.class) {
            return new Object();
        }
        if (t == Class.class) {
            return String.class;
        }
        if (t == byte[].class) {
            return new byte[] {(byte) n};
        }
        if (t == String[].class) {
            return new String[] {"a" + n};
        }
        if (t == int[].class) {
            return new int[] {n};
        }
        if (t == BigDecimal.class) {
            return BigDecimal.valueOf(n);
        }
        if (t == Date.class) {
            return new Date(n);
        }
        if (t == Time.class) {
            return new Time(n);
        }
        if (t == Timestamp.class) {
            return new Timestamp(n);
        }
        if (t == Calendar.class) {
            return new GregorianCalendar();
        }
        if (t == Map.class) {
            return new HashMap<String, Class<?>>();
        }
        if (t == URL.class) {
            return new URI("http://h/" + n).toURL();
        }
        if (t == InputStream.class) {
            return new ByteArrayInputStream(new byte[n]);
        }
        if (t == Reader.class) {
            return new StringReader("r" + n);
        }
        if (t == SQLType.class) {
            return JDBCType.values()[n];
        }
        return null; // Blob, Clob, Array, ...: passed as they are
    }

    /** What the recording object answers for a return type (a fixed value the wrapper must hand back). */
    private static Object returned(Class<?> t) {
        if (t == int.class) {
            return 42;
        }
        if (t == long.class) {
            return 43L;
        }
        if (t == short.class) {
            return (short) 44;
        }
        if (t == byte.class) {
            return (byte) 45;
        }
        if (t == float.class) {
            return 46f;
        }
        if (t == double.class) {
            return 47d;
        }
        if (t == boolean.class) {
            return true;
        }
        if (t == String.class) {
            return "returned";
        }
        // one object per type, so that the test can tell it is the same one that comes back
        return RETURNED.computeIfAbsent(t, k -> {
            try {
                return k.isEnum() ? k.getEnumConstants()[0] : sample(k, 99);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static final Map<Class<?>, Object> RETURNED = new HashMap<>();

    @SuppressWarnings("unchecked")
    private static <T> T recording(Class<T> iface, List<Call> calls) {
        return (T) Proxy.newProxyInstance(ForwardingContractTest.class.getClassLoader(), new Class<?>[] {iface},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "equals":
                            return proxy == args[0];
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "toString":
                            return "recording " + iface.getSimpleName();
                        default:
                            break;
                    }
                    calls.add(new Call(method, args == null ? new Object[0] : args));
                    if (method.getReturnType() == ResultSet.class) {
                        return recording(ResultSet.class, new ArrayList<>());
                    }
                    return returned(method.getReturnType());
                });
    }
}
