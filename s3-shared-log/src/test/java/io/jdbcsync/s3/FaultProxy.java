package io.jdbcsync.s3;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 proxy in front of an S3 server, on 127.0.0.1, that can be told what to do with
 * each coming request: pass it on, answer with an S3 error, hold it past the client's timeout,
 * or pass it on and then drop the connection without answering (a write whose response got
 * lost). It can also stop listening for a while, so that connections are refused.
 *
 * <p>Stopping waits until the listening socket is really closed (a thread blocked in accept()
 * keeps it open until it wakes up), and keeps the port bound without listening: a freed port
 * could be handed to another server on this machine, such as another test's S3 server with the
 * same bucket and credentials. Either way a request meant to be refused would be answered.
 *
 * <p>Requests are relayed byte for byte (signatures stay valid); each connection carries one
 * request, which the {@code Connection: close} added to every response tells the client.
 */
final class FaultProxy implements AutoCloseable {

    /** What to do with one request. */
    static final class Fault {
        final int status;
        final String code;
        final String message;
        final long delayMillis;
        final boolean dropResponse;

        private Fault(int status, String code, String message, long delayMillis, boolean dropResponse) {
            this.status = status;
            this.code = code;
            this.message = message;
            this.delayMillis = delayMillis;
            this.dropResponse = dropResponse;
        }

        static Fault forward() {
            return new Fault(0, null, null, 0, false);
        }

        static Fault error(int status, String code) {
            return error(status, code, "injected " + code);
        }

        static Fault error(int status, String code, String message) {
            return new Fault(status, code, message, 0, false);
        }

        /** Holds the request this long, then passes it on. */
        static Fault delay(long millis) {
            return new Fault(0, null, null, millis, false);
        }

        /** Passes the request on, reads the answer, and closes the connection without relaying it. */
        static Fault dropResponse() {
            return new Fault(0, null, null, 0, true);
        }
    }

    /** What an S3 request does, told from its method and query (as S3 bills it). */
    enum Kind {
        PUT, GET, LIST, DELETE, HEAD, OTHER;

        /** The kind of a request as {@link #requests()} shows it: "METHOD /path?query". */
        static Kind of(String request) {
            String[] parts = request.split(" ", 2);
            String method = parts[0];
            String target = parts.length > 1 ? parts[1] : "";
            int q = target.indexOf('?');
            String query = q < 0 ? "" : target.substring(q + 1);
            String path = q < 0 ? target : target.substring(0, q);
            boolean bucketLevel = path.indexOf('/', 1) < 0 || path.indexOf('/', 1) == path.length() - 1;
            switch (method) {
                case "GET":
                    return bucketLevel || query.contains("list-type=") ? LIST : GET;
                case "PUT":
                    return PUT;
                case "DELETE":
                    return DELETE;
                case "POST":
                    return query.startsWith("delete") || query.contains("&delete") ? DELETE : OTHER;
                case "HEAD":
                    return HEAD;
                default:
                    return OTHER;
            }
        }
    }

    /** Faults for the requests matching a pattern, taken before the general script. */
    private static final class Rule {
        final Pattern pattern;
        final ConcurrentLinkedQueue<Fault> faults = new ConcurrentLinkedQueue<>();

        Rule(Pattern pattern, List<Fault> faults) {
            this.pattern = pattern;
            this.faults.addAll(faults);
        }
    }

    private static final int IO_TIMEOUT_MS = 15_000;

    private final InetSocketAddress upstream;
    private final ConcurrentLinkedQueue<Fault> script = new ConcurrentLinkedQueue<>();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final int port;
    private volatile ServerSocket listener;
    /** The thread accepting on {@link #listener}: its socket is only gone once it has returned. */
    private Future<?> acceptor;
    /** Bound to {@link #port} while stopped, so no other socket can take the port. */
    private Socket portHold;

    FaultProxy(URI upstream) throws IOException {
        this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        ServerSocket first = bind(0);
        this.port = first.getLocalPort();
        serve(first);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Queues faults for the next requests, one each; requests beyond the script are passed on. */
    void script(Fault... faults) {
        script.addAll(List.of(faults));
    }

    /**
     * Queues faults for the next requests whose "METHOD /path?query" matches {@code regex}
     * (anywhere in it), one each, ahead of {@link #script}: aims a fault at one kind of request
     * whatever else is sent meanwhile.
     */
    void scriptFor(String regex, Fault... faults) {
        rules.add(new Rule(Pattern.compile(regex), List.of(faults)));
    }

    /** Drops every queued fault, general and aimed. */
    void clearScript() {
        script.clear();
        rules.clear();
    }

    /** Faults still queued (general and aimed): zero once every scripted fault has fired. */
    int pendingFaults() {
        int n = script.size();
        for (Rule rule : rules) {
            n += rule.faults.size();
        }
        return n;
    }

    /** "METHOD /path?query" of each request received, in order. */
    List<String> requests() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** How many requests have been received so far; with {@link #countsSince} gives deltas. */
    int requestCount() {
        return seen.size();
    }

    /** Requests received after the first {@code from}, by kind, every kind present. */
    Map<Kind, Integer> countsSince(int from) {
        return countsBetween(from, Integer.MAX_VALUE);
    }

    /** Requests number {@code from} (inclusive) to {@code to} (exclusive), by kind, every kind present. */
    Map<Kind, Integer> countsBetween(int from, int to) {
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            counts.put(kind, 0);
        }
        List<String> all = requests();
        int end = Math.min(to, all.size());
        for (String request : all.subList(Math.min(from, end), end)) {
            counts.merge(Kind.of(request), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Stops listening: new connections are refused until {@link #start()}. The port stays held
     * (bound, not listening; SO_REUSEPORT lets the hold and the listener overlap), so there is no
     * moment at which another socket could take it.
     */
    synchronized void stop() throws IOException {
        ServerSocket current = listener;
        if (current == null) {
            return;
        }
        Socket hold = new Socket();
        hold.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        hold.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        portHold = hold;
        listener = null;
        current.close();
        // A thread blocked in accept() keeps the listening socket open until it wakes up: a
        // connection arriving meanwhile would be accepted and served.
        try {
            acceptor.get(IO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the listener closes", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the listener did not close", e);
        }
    }

    /** Listens again on the same port. */
    synchronized void start() throws IOException {
        if (listener == null) {
            serve(bind(port));
            portHold.close();
            portHold = null;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        ServerSocket current = listener;
        listener = null;
        if (current != null) {
            current.close();
        }
        if (portHold != null) {
            portHold.close();
        }
        workers.shutdownNow();
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private void serve(ServerSocket socket) {
        listener = socket;
        acceptor = workers.submit(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    workers.execute(() -> handle(client));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private void handle(Socket client) {
        try (client) {
            client.setSoTimeout(IO_TIMEOUT_MS);
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String headText = new String(head, StandardCharsets.ISO_8859_1);
            String[] requestLine = headText.substring(0, headText.indexOf("\r\n")).split(" ");
            String method = requestLine[0];
            seen.add(method + " " + requestLine[1]);
            byte[] body = readBody(in, headText, false);
            Fault fault = aimedFault(method + " " + requestLine[1]);
            if (fault == null) {
                fault = script.poll();
            }
            if (fault == null) {
                fault = Fault.forward();
            }
            OutputStream out = client.getOutputStream();
            if (fault.status != 0) {
                out.write(errorResponse(fault, method, requestLine[1]));
                out.flush();
                return;
            }
            if (fault.delayMillis > 0) {
                Thread.sleep(fault.delayMillis);
            }
            byte[] response = forward(head, body, method);
            if (fault.dropResponse) {
                client.setSoLinger(true, 0); // a reset, as when a network path dies
                return;
            }
            out.write(response);
            out.flush();
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // The client gave up or the proxy is closing: nothing to report back.
        }
    }

    private Fault aimedFault(String request) {
        for (Rule rule : rules) {
            if (!rule.faults.isEmpty() && rule.pattern.matcher(request).find()) {
                Fault fault = rule.faults.poll();
                if (fault != null) {
                    return fault;
                }
            }
        }
        return null;
    }

    private byte[] forward(byte[] head, byte[] body, String method) throws IOException {
        try (Socket server = new Socket()) {
            server.connect(upstream, IO_TIMEOUT_MS);
            server.setSoTimeout(IO_TIMEOUT_MS);
            OutputStream out = server.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            InputStream in = server.getInputStream();
            while (true) {
                byte[] responseHead = readHead(in);
                if (responseHead == null) {
                    throw new EOFException("upstream closed without a response");
                }
                String text = new String(responseHead, StandardCharsets.ISO_8859_1);
                int status = Integer.parseInt(text.substring(9, 12));
                if (status >= 100 && status < 200) {
                    continue; // interim response: the final one follows
                }
                boolean noBody = method.equals("HEAD") || status == 204 || status == 304;
                byte[] responseBody = noBody ? new byte[0] : readBody(in, text, true);
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                all.write(closingHead(text).getBytes(StandardCharsets.ISO_8859_1));
                all.write(responseBody);
                return all.toByteArray();
            }
        }
    }

    /** The response head with any Connection header replaced by {@code Connection: close}. */
    private static String closingHead(String head) {
        StringBuilder result = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (!line.isEmpty() && !line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                result.append(line).append("\r\n");
            }
        }
        return result.append("Connection: close\r\n\r\n").toString();
    }

    private static byte[] errorResponse(Fault fault, String method, String path) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + fault.code + "</Code><Message>"
                + fault.message + "</Message><Resource>" + path.replace("&", "&amp;")
                + "</Resource><RequestId>fault-proxy</RequestId></Error>";
        byte[] body = method.equals("HEAD") ? new byte[0] : xml.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + fault.status + " Injected\r\nContent-Type: application/xml\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        all.writeBytes(body);
        return all.toByteArray();
    }

    /** Bytes up to and including the blank line, or null at a clean end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside a message head");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    /**
     * The message body in its wire form (chunks stay chunked). Without length or chunking, a
     * response body runs to the end of the stream; a request has none.
     */
    private static byte[] readBody(InputStream in, String head, boolean untilEof) throws IOException {
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            return readChunked(in);
        }
        int at = lower.indexOf("\r\ncontent-length:");
        if (at >= 0) {
            int end = lower.indexOf("\r\n", at + 2);
            int length = Integer.parseInt(lower.substring(at + 17, end).trim());
            return in.readNBytes(length);
        }
        return untilEof ? in.readAllBytes() : new byte[0];
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            wire.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine(in);
                    wire.writeBytes((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                } while (!trailer.isEmpty());
                return wire.toByteArray();
            }
            wire.writeBytes(in.readNBytes(size));
            wire.writeBytes(in.readNBytes(2)); // CRLF after the chunk data
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        if (b < 0) {
            throw new EOFException("connection closed inside a chunked body");
        }
        return line.toString();
    }
}
