package dev.covet.websocket.tck;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Raw-socket WebSocket peers for what the JDK client cannot do: offer {@code permessage-deflate} as browsers do
 * (and check RSV1, or send a compressed bomb), or stay silent and never answer pings.
 */
public final class RawProbe {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What the probe saw.
     *
     * @param status the HTTP status of the upgrade
     * @param extensions the {@code Sec-WebSocket-Extensions} response header, if any
     * @param firstFrameCompressed whether the server's first frame had RSV1 set
     */
    public record Result(int status, Optional<String> extensions, boolean firstFrameCompressed) {
    }

    private RawProbe() {
    }

    /**
     * Upgrades with a deflate offer, sends one uncompressed text frame and reads the first server frame.
     *
     * @param uri the ws:// URI
     * @param bearer the token for {@code Authorization: Bearer}
     * @param frame the text frame to send after the upgrade
     * @return what was seen
     * @throws IOException on socket failure
     */
    public static Result probe(URI uri, String bearer, String frame) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(upgrade(uri, bearer).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int status = Integer.parseInt(head.split(" ", 3)[1]);
            Optional<String> extensions = head.lines()
                    .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
            if (status != 101) {
                return new Result(status, extensions, false);
            }
            out.write(maskedText(frame.getBytes(StandardCharsets.UTF_8)));
            out.flush();
            int first = new DataInputStream(in).readUnsignedByte();
            return new Result(status, extensions, (first & 0x40) != 0);
        }
    }

    /**
     * Offers permessage-deflate, then sends one compressed text frame that inflates to {@code inflatedBytes} of
     * the letter {@code a} (a few KB on the wire), and reads the server's frames until it closes.
     *
     * @param uri the ws:// URI
     * @param bearer the token
     * @param inflatedBytes the size after inflation
     * @return the close code the server sent, 1006 when it dropped the connection without one, or -1 when the
     *     server did not negotiate permessage-deflate
     * @throws IOException on socket failure
     */
    public static int bomb(URI uri, String bearer, int inflatedBytes) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(upgrade(uri, bearer).getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 101") || !head.toLowerCase(Locale.ROOT).contains("permessage-deflate")) {
                return -1;
            }
            out.write(compressedText(inflatedBytes));
            out.flush();
            return closeCode(new DataInputStream(in));
        }
    }

    /** Reads (and ignores) server frames until a close frame; returns its code. */
    private static int closeCode(DataInputStream frames) throws IOException {
        try {
            while (true) {
                ServerFrame frame = ServerFrame.read(frames);
                if (frame.opcode() == 0x8) {
                    byte[] payload = frame.payload();
                    return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
                }
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return 1006;
        }
    }

    /**
     * One unmasked frame from the server.
     *
     * @param first the first header byte (FIN, RSV bits, opcode)
     * @param payload the payload as sent
     */
    private record ServerFrame(int first, byte[] payload) {

        int opcode() {
            return first & 0x0F;
        }

        /**
         * Reads one frame.
         *
         * @throws java.net.ProtocolException when the bytes are not a server's frame (reserved bits or opcodes, a
         *     mask, a fragmented or long control frame): the stream is garbled
         */
        static ServerFrame read(DataInputStream in) throws IOException {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            int opcode = first & 0x0F;
            int length = second & 0x7F;
            boolean control = opcode >= 0x8;
            if ((first & 0x30) != 0 || (opcode > 0x2 && opcode < 0x8) || opcode > 0xA || (second & 0x80) != 0
                    || control && ((first & 0x80) == 0 || length > 125)) {
                throw new java.net.ProtocolException(String.format("not a server frame: %02x %02x", first, second));
            }
            long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
            return new ServerFrame(first, in.readNBytes((int) size));
        }
    }

    /**
     * Upgrades, then reads without ever answering a ping, until the server closes.
     *
     * @param uri the ws:// URI
     * @param bearer the token
     * @return the close code the server sent, or 1006 when it dropped the connection without one
     * @throws IOException on socket failure
     */
    public static int silent(URI uri, String bearer) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(upgrade(uri, bearer).getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("Upgrade refused: " + head.lines().findFirst().orElse(""));
            }
            return closeCode(new DataInputStream(in));
        }
    }

    /**
     * A reader that stops reading: upgrades with a tiny receive buffer, sends {@code firstFrame} (e.g. a room
     * join), runs {@code whileStalled} without reading anything, then drains what the server sent and returns
     * its close code.
     *
     * @param uri the ws:// URI
     * @param bearer the token
     * @param firstFrame a text frame to send right after the upgrade
     * @param whileStalled what happens while this peer reads nothing
     * @return the server's close code, or 1006 when it dropped the connection without one
     * @throws Exception on socket failure, or what {@code whileStalled} throws
     */
    public static int stalled(URI uri, String bearer, String firstFrame, Stall whileStalled) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(upgrade(uri, bearer).getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("Upgrade refused: " + head.lines().findFirst().orElse(""));
            }
            out.write(maskedText(firstFrame.getBytes(StandardCharsets.UTF_8)));
            out.flush();
            whileStalled.run();
            return closeCode(new DataInputStream(in));
        }
    }

    /**
     * Writes several text frames in one write (faster than any client library sends them) and reads replies.
     *
     * @param uri the ws:// URI
     * @param bearer the token
     * @param frames the text frames to send back to back
     * @param replies how many text frames to read back
     * @return the replies, in order
     * @throws IOException on socket failure or when the server closes first
     */
    public static java.util.List<String> burst(URI uri, String bearer, java.util.List<String> frames, int replies)
            throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = upgraded(socket, uri, bearer);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (String frame : frames) {
                all.writeBytes(maskedText(frame.getBytes(StandardCharsets.UTF_8)));
            }
            out.write(all.toByteArray());
            out.flush();
            DataInputStream data = new DataInputStream(in);
            java.util.List<String> texts = new java.util.ArrayList<>();
            while (texts.size() < replies) {
                ServerFrame frame = ServerFrame.read(data);
                if (frame.opcode() == 0x8) {
                    throw new IOException("Closed by the server after " + texts.size() + " replies");
                }
                if (frame.opcode() == 0x1) {
                    texts.add(new String(frame.payload(), StandardCharsets.UTF_8));
                }
            }
            return texts;
        }
    }

    /**
     * Waits for the server to close the connection (reading and discarding frames, 15 s at most), then sends
     * frames anyway, as a client that ignores the close frame would, and closes the socket.
     *
     * @param uri the endpoint
     * @param bearer the token
     * @param frames the text frames to send after the server's close frame
     * @return the server's close code
     * @throws IOException on socket failure before the close frame
     */
    public static int afterClose(URI uri, String bearer, java.util.List<String> frames) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = upgraded(socket, uri, bearer);
            int code = closeCode(new DataInputStream(in));
            try {
                for (String frame : frames) {
                    out.write(maskedText(frame.getBytes(StandardCharsets.UTF_8)));
                }
                out.flush();
            } catch (IOException droppedByTheServer) {
                // Some containers drop the socket right after their close frame; nothing more can arrive then.
            }
            return code;
        }
    }

    /**
     * Sends one oversized message as a single frame while reading what the server answers, so that the server's
     * close code is seen even when it closes the socket before the client finished writing (a client that stops
     * at its first failed write only sees 1006).
     *
     * @param uri the endpoint
     * @param bearer the token
     * @param opcode 0x1 for text, 0x2 for binary
     * @param payload the message
     * @return the server's close code, or 1006 when the connection ended without one
     * @throws IOException when the upgrade fails
     */
    public static int oversize(URI uri, String bearer, int opcode, byte[] payload) throws IOException {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = upgraded(socket, uri, bearer);
            Thread writer = new Thread(() -> {
                try {
                    ByteArrayOutputStream header = new ByteArrayOutputStream();
                    header.write(0x80 | opcode);
                    header.write(0x80 | 127);
                    header.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
                    header.writeBytes(new byte[4]);
                    out.write(header.toByteArray());
                    for (int sent = 0; sent < payload.length; sent += 65_536) {
                        out.write(payload, sent, Math.min(65_536, payload.length - sent));
                    }
                    out.flush();
                } catch (IOException closedByTheServer) {
                    // Expected: the server closes as soon as it knows the message is too big.
                }
            }, "kit-oversize-writer");
            writer.setDaemon(true);
            writer.start();
            return closeCode(new DataInputStream(in));
        }
    }

    /** What runs while a {@link #stalled} peer reads nothing. */
    @FunctionalInterface
    public interface Stall {
        /** @throws Exception to fail the probe */
        void run() throws Exception;
    }

    /** Upgrades without offering compression; @return the stream after the 101 head */
    private static InputStream upgraded(Socket socket, URI uri, String bearer) throws IOException {
        socket.getOutputStream().write(upgrade(uri, bearer, false).getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("Upgrade refused: " + head.lines().findFirst().orElse(""));
        }
        return in;
    }

    private static String upgrade(URI uri, String bearer) {
        return upgrade(uri, bearer, true);
    }

    private static String upgrade(URI uri, String bearer, boolean offerDeflate) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return "GET " + uri.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + (offerDeflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : "")
                + "Authorization: Bearer " + bearer + "\r\n\r\n";
    }

    /** One masked text frame with RSV1 set, its payload raw DEFLATE without the final empty block's tail. */
    private static byte[] compressedText(int inflatedBytes) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_COMPRESSION, true);
        byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int written = 0; written < inflatedBytes; written += chunk.length) {
            deflater.setInput(chunk, 0, Math.min(chunk.length, inflatedBytes - written));
            int n;
            while ((n = deflater.deflate(buffer, 0, buffer.length, java.util.zip.Deflater.NO_FLUSH)) > 0) {
                compressed.write(buffer, 0, n);
            }
        }
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, java.util.zip.Deflater.SYNC_FLUSH)) > 0) {
            compressed.write(buffer, 0, n);
            if (n < buffer.length) {
                break;
            }
        }
        deflater.end();
        byte[] body = compressed.toByteArray();
        return masked(0xC1, java.util.Arrays.copyOf(body, body.length - 4));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("Connection closed during the upgrade response");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] maskedText(byte[] payload) {
        return masked(0x81, payload);
    }

    /** One masked frame with the given first byte (FIN, RSV bits, opcode) and a payload under 64 KiB. */
    private static byte[] masked(int firstByte, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }
}
