import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Wrapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the JDBC wrappers' boilerplate at build time (run by the driver's pom in
 * generate-sources): one method per interface method, read from the JDK's own java.sql
 * interfaces, so the hand-written wrappers in io.jdbcsync.internal.jdbc hold only what the driver does
 * differently. Plain classes, no runtime proxies: a result set getter costs one more call, which
 * the JIT inlines.
 *
 * <p>Usage: {@code java JdbcWrapperSources.java OUTPUT_DIR}. A file is rewritten only when its
 * content changes, so an unchanged build does not recompile the driver.
 */
public final class JdbcWrapperSources {
    private static final String PACKAGE = "io.jdbcsync.internal.jdbc";

    /** What a generated method does. */
    enum Body {
        /** calls the same method on the wrapped object; {@code unwrap}/{@code isWrapperFor} see the wrapper first */
        FORWARD,
        /** throws 0A000: for result sets the driver fills itself, which implement only the reads */
        REFUSE
    }

    /**
     * One generated type.
     *
     * @param iface     the JDBC interface
     * @param name      the generated type's simple name
     * @param doc       its javadoc sentence
     * @param body      what each method does
     * @param target    the expression of the wrapped object: a field for classes, an accessor for interfaces
     * @param declaredOnly only the methods the interface declares itself (not those it inherits)
     * @param asInterface default methods of an interface (for a wrapper that already extends a class)
     * @param results   return types whose values pass through a method of the subclass (type → method)
     */
    record Spec(Class<?> iface, String name, String doc, Body body, String target, boolean declaredOnly,
                boolean asInterface, Map<Class<?>, String> results) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: java JdbcWrapperSources.java OUTPUT_DIR");
        }
        Path root = Path.of(args[0]);
        Path dir = root.resolve(PACKAGE.replace('.', '/'));
        Files.createDirectories(dir);
        List<Spec> specs = List.of(
                new Spec(ResultSet.class, "ForwardingResultSet",
                        "A result set that hands every call to {@code raw}; subclasses override what differs.",
                        Body.FORWARD, "raw", false, false, Map.of()),
                new Spec(DatabaseMetaData.class, "ForwardingDatabaseMetaData",
                        "Metadata that hands every call to {@code raw}; result sets it returns pass through {@link #rows}.",
                        Body.FORWARD, "raw", false, false, Map.of(ResultSet.class, "rows")),
                new Spec(CallableStatement.class, "ForwardingCallableStatement",
                        "The methods {@link java.sql.CallableStatement} adds to a prepared statement (OUT and named"
                                + " parameters), handed to {@link #callable()}.",
                        Body.FORWARD, "callable()", true, true, Map.of()),
                new Spec(Connection.class, "ForwardingConnection",
                        "A connection that hands every call to {@code raw}; subclasses override what differs.",
                        Body.FORWARD, "raw", false, false, Map.of()),
                new Spec(Statement.class, "ForwardingStatement",
                        "A statement that hands every call to {@code raw}; subclasses override what differs.",
                        Body.FORWARD, "raw", false, false, Map.of()),
                new Spec(ResultSet.class, "RefusingResultSet",
                        "A read-only, forward-only result set's refusals: every method throws 0A000 until a subclass"
                                + " implements it.",
                        Body.REFUSE, null, false, false, Map.of()));
        List<Path> written = new ArrayList<>();
        for (Spec spec : specs) {
            Path file = dir.resolve(spec.name() + ".java");
            write(file, source(spec));
            written.add(file);
        }
        removeStale(root, written);
    }

    /**
     * Deletes sources this generator wrote earlier that it no longer writes (a renamed package or
     * type): the output folder is its own, and a stale copy would be compiled with the rest.
     */
    private static void removeStale(Path root, List<Path> written) throws IOException {
        List<Path> stale;
        try (var files = Files.walk(root)) {
            stale = files.filter(f -> f.toString().endsWith(".java") && !written.contains(f)).toList();
        }
        for (Path f : stale) {
            Files.delete(f);
        }
    }

    private static void write(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return;
        }
        Files.write(file, bytes);
    }

    static String source(Spec spec) {
        StringBuilder out = new StringBuilder();
        String iface = type(spec.iface());
        out.append("package ").append(PACKAGE).append(";\n\n");
        out.append("// Generated at build time by driver/src/build/JdbcWrapperSources.java from ")
                .append(iface).append(". Do not edit.\n\n");
        out.append("/** ").append(spec.doc()).append(" */\n");
        if (spec.asInterface()) {
            out.append("interface ").append(spec.name()).append(" extends ").append(iface).append(" {\n");
            out.append("    /** The object the calls go to. */\n");
            out.append("    ").append(iface).append(" ").append(spec.target().replace("()", ""))
                    .append("() throws java.sql.SQLException;\n");
        } else {
            out.append("abstract class ").append(spec.name()).append(" implements ").append(iface).append(" {\n");
            if (spec.body() == Body.FORWARD) {
                out.append("    final ").append(iface).append(" ").append(spec.target()).append(";\n\n");
                out.append("    ").append(spec.name()).append("(").append(iface).append(" ").append(spec.target())
                        .append(") {\n        this.").append(spec.target()).append(" = ").append(spec.target())
                        .append(";\n    }\n");
            } else {
                out.append("    static java.sql.SQLFeatureNotSupportedException unsupported() {\n")
                        .append("        return new java.sql.SQLFeatureNotSupportedException(")
                        .append("\"not supported by this read-only result set\", \"0A000\");\n    }\n");
            }
            for (Map.Entry<Class<?>, String> r : spec.results().entrySet()) {
                out.append("\n    /** Every {@code ").append(r.getKey().getSimpleName())
                        .append("} a forwarded call returns, as the app gets it. */\n");
                out.append("    abstract ").append(type(r.getKey())).append(" ").append(r.getValue()).append("(")
                        .append(type(r.getKey())).append(" raw);\n");
            }
        }
        for (Method m : methods(spec)) {
            out.append("\n");
            method(out, spec, m);
        }
        out.append("}\n");
        return out.toString();
    }

    private static List<Method> methods(Spec spec) {
        Method[] candidates = spec.declaredOnly() ? spec.iface().getDeclaredMethods() : spec.iface().getMethods();
        Map<String, Method> bySignature = new LinkedHashMap<>();
        for (Method m : candidates) {
            if (Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers()) || m.isSynthetic()) {
                continue;
            }
            if (spec.body() == Body.REFUSE && m.isDefault()) {
                continue; // the interface's own default stays
            }
            if (m.isVarArgs()) {
                throw new IllegalStateException("varargs are not generated: " + m);
            }
            String key = m.getName() + Arrays.toString(m.getParameterTypes());
            Method seen = bySignature.get(key);
            // AutoCloseable.close and ResultSet.close: the more specific declaration wins
            if (seen == null || seen.getDeclaringClass().isAssignableFrom(m.getDeclaringClass())) {
                bySignature.put(key, m);
            }
        }
        List<Method> list = new ArrayList<>(bySignature.values());
        list.sort(Comparator.comparing(Method::getName).thenComparing(m -> Arrays.toString(m.getParameterTypes())));
        return list;
    }

    private static void method(StringBuilder out, Spec spec, Method m) {
        String indent = "    ";
        if (m.isAnnotationPresent(Deprecated.class)) {
            out.append(indent).append("@Deprecated\n");
        }
        out.append(indent).append("@Override\n").append(indent).append(spec.asInterface() ? "default " : "public ");
        TypeVariable<Method>[] vars = m.getTypeParameters();
        if (vars.length > 0) {
            out.append(Arrays.stream(vars).map(JdbcWrapperSources::variable).collect(Collectors.joining(", ", "<", "> ")));
        }
        Type[] params = m.getGenericParameterTypes();
        List<String> names = new ArrayList<>();
        List<String> declared = new ArrayList<>();
        for (int i = 0; i < params.length; i++) {
            names.add("a" + i);
            declared.add(type(params[i]) + " a" + i);
        }
        out.append(type(m.getGenericReturnType())).append(' ').append(m.getName()).append('(')
                .append(String.join(", ", declared)).append(')');
        Class<?>[] exceptions = m.getExceptionTypes();
        if (exceptions.length > 0) {
            out.append(Arrays.stream(exceptions).map(JdbcWrapperSources::type)
                    .collect(Collectors.joining(", ", " throws ", "")));
        }
        out.append(" {\n").append(indent).append(indent);
        boolean wrapper = m.getDeclaringClass() == Wrapper.class;
        if (spec.body() == Body.REFUSE) {
            out.append("throw unsupported();\n");
        } else if (wrapper) {
            // the wrapper itself first, then what it wraps (Unwrapping)
            out.append("return Unwrapping.").append(m.getName()).append("(this, ").append(spec.target())
                    .append(", a0);\n");
        } else {
            String call = spec.target() + "." + m.getName() + "(" + String.join(", ", names) + ")";
            String through = spec.results().get(m.getReturnType());
            if (through != null) {
                call = through + "(" + call + ")";
            }
            out.append(m.getReturnType() == void.class ? "" : "return ").append(call).append(";\n");
        }
        out.append(indent).append("}\n");
    }

    private static String variable(TypeVariable<?> v) {
        List<String> bounds = Arrays.stream(v.getBounds()).filter(b -> b != Object.class)
                .map(JdbcWrapperSources::type).collect(Collectors.toList());
        return bounds.isEmpty() ? v.getName() : v.getName() + " extends " + String.join(" & ", bounds);
    }

    static String type(Type t) {
        if (t instanceof Class<?> c) {
            if (c.isArray()) {
                return type(c.getComponentType()) + "[]";
            }
            String name = c.getCanonicalName();
            return c.getPackageName().equals("java.lang") && c.getEnclosingClass() == null ? c.getSimpleName() : name;
        }
        if (t instanceof ParameterizedType p) {
            return type(p.getRawType()) + Arrays.stream(p.getActualTypeArguments()).map(JdbcWrapperSources::type)
                    .collect(Collectors.joining(", ", "<", ">"));
        }
        if (t instanceof WildcardType w) {
            if (w.getLowerBounds().length > 0) {
                return "? super " + type(w.getLowerBounds()[0]);
            }
            Type upper = w.getUpperBounds()[0];
            return upper == Object.class ? "?" : "? extends " + type(upper);
        }
        if (t instanceof TypeVariable<?> v) {
            return v.getName();
        }
        if (t instanceof GenericArrayType g) {
            return type(g.getGenericComponentType()) + "[]";
        }
        throw new IllegalStateException("unexpected type " + t);
    }
}
