package io.jdbcsync.testing;

import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HexFormat;
import java.util.List;
import java.util.TimeZone;

/**
 * One device in its own JVM (its own {@code user.timezone}): opens a jdbc-sync URL and runs the
 * steps given as arguments, in order. A step is plain SQL, {@code sync} ({@code CALL sync_now()}),
 * or a prepared statement {@code ?SQL|type:value|...} with parameters bound through the setter
 * the type names:
 * <pre>
 * long:1  double:2.5  text:abc  bool:true  blob:00ff  null:
 * ts:2024-10-27 02:30:00  date:2024-03-01  time:13:45:30        (setTimestamp/setDate/setTime)
 * tscal:2024-10-27 02:30:00@UTC  datecal:2024-03-01@Pacific/Chatham  timecal:13:45:30@Asia/Kolkata
 * ldt:2024-10-27T02:30  odt:2024-10-27T02:30+02:00               (setObject)
 * </pre>
 * Exits 0 after every step succeeded; prints the failure and exits 1 otherwise.
 */
public final class ZoneDevice {

    private ZoneDevice() {
    }

    public static void main(String[] args) {
        if (args.length == 1) {
            serve(args[0]);
            return;
        }
        try (Connection c = DriverManager.getConnection(args[0])) {
            for (int i = 1; i < args.length; i++) {
                run(c, args[i]);
            }
            System.out.println("ok in " + TimeZone.getDefault().getID());
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
        System.exit(0);
    }

    /** Answers every step it reads from stdin, one per line ({@link ZoneDeviceProcess} talks to it). */
    private static void serve(String url) {
        try (Connection c = DriverManager.getConnection(url);
             java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                     java.nio.charset.StandardCharsets.UTF_8))) {
            System.out.println(ZoneDeviceProcess.ANSWER + "ready " + TimeZone.getDefault().getID());
            for (String step = in.readLine(); step != null && !step.equals("quit"); step = in.readLine()) {
                try {
                    run(c, step);
                    System.out.println(ZoneDeviceProcess.ANSWER + "ok");
                } catch (java.sql.SQLException e) {
                    System.out.println(ZoneDeviceProcess.ANSWER + "error " + e.getSQLState() + " "
                            + String.valueOf(e.getMessage()).replace('\n', ' '));
                }
            }
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(Connection c, String step) throws Exception {
        if (step.equals("sync")) {
            try (Statement s = c.createStatement()) {
                s.execute("CALL sync_now()");
            }
        } else if (step.startsWith("?")) {
            List<String> parts = split(step.substring(1));
            try (PreparedStatement ps = c.prepareStatement(parts.get(0))) {
                for (int i = 1; i < parts.size(); i++) {
                    bind(ps, i, parts.get(i));
                }
                ps.executeUpdate();
            }
        } else {
            try (Statement s = c.createStatement()) {
                s.execute(step);
            }
        }
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = s.indexOf('|'); i >= 0; i = s.indexOf('|', from)) {
            out.add(s.substring(from, i));
            from = i + 1;
        }
        out.add(s.substring(from));
        return out;
    }

    private static void bind(PreparedStatement ps, int index, String param) throws Exception {
        int colon = param.indexOf(':');
        String type = param.substring(0, colon);
        String v = param.substring(colon + 1);
        switch (type) {
            case "long" -> ps.setLong(index, Long.parseLong(v));
            case "double" -> ps.setDouble(index, Double.parseDouble(v));
            case "text" -> ps.setString(index, v);
            case "bool" -> ps.setBoolean(index, Boolean.parseBoolean(v));
            case "blob" -> ps.setBytes(index, HexFormat.of().parseHex(v));
            case "null" -> ps.setNull(index, java.sql.Types.NULL);
            case "ts" -> ps.setTimestamp(index, Timestamp.valueOf(v));
            case "date" -> ps.setDate(index, Date.valueOf(v));
            case "time" -> ps.setTime(index, Time.valueOf(v));
            case "tscal" -> ps.setTimestamp(index, Timestamp.valueOf(value(v)), calendar(v));
            case "datecal" -> ps.setDate(index, Date.valueOf(value(v)), calendar(v));
            case "timecal" -> ps.setTime(index, Time.valueOf(value(v)), calendar(v));
            case "ldt" -> ps.setObject(index, LocalDateTime.parse(v));
            case "odt" -> ps.setObject(index, OffsetDateTime.parse(v));
            default -> throw new IllegalArgumentException("unknown parameter type " + type);
        }
    }

    private static String value(String v) {
        return v.substring(0, v.lastIndexOf('@'));
    }

    private static Calendar calendar(String v) {
        return Calendar.getInstance(TimeZone.getTimeZone(v.substring(v.lastIndexOf('@') + 1)));
    }
}
