package dev.covet.websocket.impl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket peer on a bare socket that does only what a test tells it: it never answers pings and never reads
 * unless asked, like a frozen browser tab or a client whose network stopped.
 */
final class RawClient implements AutoCloseable {

    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private final Socket socket;
    private final java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
    private final java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);

    private RawClient(Socket socket) {
        this.socket = socket;
    }

    /** Upgrades with the token and returns without reading anything after the 101 response. */
    static RawClient open(URI uri, String token, int receiveBuffer) throws IOException {
        return open(uri, token, receiveBuffer, false);
    }

    /**
     * Upgrades with the token, offering permessage-deflate when asked (and failing if it is not negotiated).
     */
    static RawClient open(URI uri, String token, int receiveBuffer, boolean deflate) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        socket.setSoTimeout(5_000);
        String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n"
                + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "")
                + "Authorization: Bearer " + token + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("Closed during the upgrade");
            }
            head.write(b);
        }
        String response = head.toString(StandardCharsets.ISO_8859_1);
        if (!response.startsWith("HTTP/1.1 101") || deflate && !response.toLowerCase().contains("permessage-deflate")) {
            throw new IOException("Upgrade refused or deflate not negotiated: " + response);
        }
        return new RawClient(socket);
    }

    /** Sends one masked text frame (the mask key is zero, which RFC 6455 allows). */
    void send(String text) throws IOException {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends one compressed text frame (RSV1), keeping the compression context across messages as browsers do.
     *
     * @param text the message
     * @param repeat how many times the text is repeated inside the one message
     */
    void sendCompressed(String text, int repeat) throws IOException {
        byte[] chunk = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (int i = 0; i < repeat; i++) {
            deflater.setInput(chunk);
            while (!deflater.needsInput()) {
                compressed.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, java.util.zip.Deflater.NO_FLUSH));
            }
        }
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, java.util.zip.Deflater.SYNC_FLUSH);
            compressed.write(buffer, 0, n);
        } while (n == buffer.length);
        byte[] body = compressed.toByteArray();
        sendFrame(0xC1, java.util.Arrays.copyOf(body, body.length - TAIL.length));
    }

    /**
     * Reads the next text message, joining its fragments (Jetty writes large messages as 64 KiB frames) and
     * inflating it if the server compressed it; fails on a close frame.
     */
    String readText() throws IOException, java.util.zip.DataFormatException {
        while (true) {
            byte[] header = new byte[1];
            byte[] payload = readFrame(header);
            int opcode = header[0] & 0x0F;
            if (opcode == 0x8) {
                throw new IOException("Closed by the server with " + (((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)));
            }
            if (opcode != 0x1) {
                continue;
            }
            if ((header[0] & 0x80) == 0) {
                ByteArrayOutputStream message = new ByteArrayOutputStream();
                message.writeBytes(payload);
                byte[] next = new byte[1];
                do {
                    message.writeBytes(readFrame(next));
                } while ((next[0] & 0x80) == 0);
                payload = message.toByteArray();
            }
            if ((header[0] & 0x40) == 0) {
                return new String(payload, StandardCharsets.UTF_8);
            }
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (byte[] input : new byte[][] {payload, TAIL}) {
                inflater.setInput(input);
                while (!inflater.needsInput()) {
                    text.write(buffer, 0, inflater.inflate(buffer));
                }
            }
            return text.toString(StandardCharsets.UTF_8);
        }
    }

    /** Reads frames until the server's close frame; returns its code, or 1006 if the socket just ends. */
    int closeCode() throws IOException {
        try {
            while (true) {
                byte[] header = new byte[1];
                byte[] payload = readFrame(header);
                if ((header[0] & 0x0F) == 0x8) {
                    return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                }
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return 1006;
        }
    }

    /** Reads one unmasked server frame; its first header byte goes into {@code header[0]}. */
    private byte[] readFrame(byte[] header) throws IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
        header[0] = (byte) in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7F;
        long size = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
        return in.readNBytes((int) size);
    }

    private void sendFrame(int firstByte, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        frame.writeBytes(new byte[4]);
        frame.writeBytes(payload);
        socket.getOutputStream().write(frame.toByteArray());
        socket.getOutputStream().flush();
    }

    /** Drops the connection with a reset instead of a close handshake, as when the peer's process or a proxy dies. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
