package dev.covet.websocket.impl.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The client's IP: the peer's address, unless the peer is a configured trusted proxy, in which case the
 * forwarding headers are read from the right and the first address that is not itself a trusted proxy wins.
 * Reading from the right means a client cannot choose its address by sending its own {@code X-Forwarded-For}.
 */
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private ClientAddress() {
    }

    /**
     * The IP text a resolved address counts under in the connection limits.
     *
     * @param client the resolved address, or null
     * @return its host address, or null when unknown
     */
    static String ip(InetSocketAddress client) {
        return client == null || client.getAddress() == null ? null : client.getAddress().getHostAddress();
    }

    /**
     * Resolves the client address.
     *
     * @param peer the connection's peer, or null when the container does not say
     * @param forwarded the {@code Forwarded} header, or null
     * @param xForwardedFor the {@code X-Forwarded-For} header, or null
     * @param trustedProxies the trusted proxy IPs
     * @return the client address, or null when unknown
     */
    static InetSocketAddress resolve(InetSocketAddress peer, String forwarded, String xForwardedFor,
                                     Set<String> trustedProxies) {
        if (peer == null || peer.getAddress() == null
                || !trustedProxies.contains(peer.getAddress().getHostAddress())) {
            return peer;
        }
        List<String> chain = forwarded != null ? forwardedFor(forwarded)
                : xForwardedFor != null ? List.of(xForwardedFor.split(",")) : List.of();
        for (int i = chain.size() - 1; i >= 0; i--) {
            String candidate = chain.get(i).trim();
            if (!trustedProxies.contains(candidate)) {
                InetAddress address = parse(candidate);
                return address == null ? peer : new InetSocketAddress(address, 0);
            }
        }
        return peer;
    }

    /**
     * Whether the client used TLS: the server says so, or a trusted proxy does ({@code Forwarded: proto=https} or
     * else {@code X-Forwarded-Proto: https}). Needed for same-origin checks behind a proxy that terminates TLS.
     *
     * @param secure whether the request reached the server over TLS
     * @param peer the connection's peer, or null
     * @param forwarded the {@code Forwarded} header, or null
     * @param forwardedProto the {@code X-Forwarded-Proto} header, or null
     * @param trustedProxies the trusted proxy IPs
     * @return whether the client's scheme is {@code https}
     */
    static boolean secure(boolean secure, InetSocketAddress peer, String forwarded, String forwardedProto,
                          Set<String> trustedProxies) {
        if (secure || peer == null || peer.getAddress() == null
                || !trustedProxies.contains(peer.getAddress().getHostAddress())) {
            return secure;
        }
        if (forwarded != null) {
            String last = null;
            for (String pair : forwarded.split("[,;]")) {
                String p = pair.trim().toLowerCase(Locale.ROOT);
                if (p.startsWith("proto=")) {
                    last = p.substring(6).replace("\"", "");
                }
            }
            if (last != null) {
                return last.equals("https") || last.equals("wss");
            }
        }
        if (forwardedProto == null) {
            return false;
        }
        String[] protos = forwardedProto.split(",");
        String last = protos[protos.length - 1].trim().toLowerCase(Locale.ROOT);
        return last.equals("https") || last.equals("wss");
    }

    /**
     * The peer address from the servlet request's textual IP, parsed without a name lookup.
     *
     * @param ip the remote address as the container reports it
     * @param port the remote port
     * @return the address, or null when it is not an IP literal
     */
    static InetSocketAddress peer(String ip, int port) {
        InetAddress address = ip == null ? null : parse(ip);
        return address == null ? null : new InetSocketAddress(address, port);
    }

    /** The {@code for=} values of a {@code Forwarded} header (RFC 7239), without quotes, brackets or ports. */
    private static List<String> forwardedFor(String header) {
        List<String> values = new ArrayList<>();
        for (String element : header.split(",")) {
            for (String pair : element.split(";")) {
                String p = pair.trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("for=")) {
                    String value = p.substring(4).replace("\"", "");
                    if (value.startsWith("[")) {
                        value = value.substring(1, Math.max(1, value.indexOf(']')));
                    } else if (value.indexOf(':') == value.lastIndexOf(':') && value.contains(":")) {
                        value = value.substring(0, value.indexOf(':'));
                    }
                    values.add(value);
                }
            }
        }
        return values;
    }

    /**
     * The canonical text of an IP literal, as connections' addresses are written, so that a ban of
     * {@code 2001:DB8::1} names the client {@code 2001:db8:0:0:0:0:0:1}.
     *
     * @param candidate the text
     * @return the address as {@code getHostAddress()} writes it, or null when the text is not an IP literal
     */
    public static String literal(String candidate) {
        InetAddress address = candidate == null ? null : parse(candidate.trim());
        return address == null ? null : address.getHostAddress();
    }

    /** Parses an IP literal without any name lookup; null for anything else (e.g. {@code unknown}). */
    private static InetAddress parse(String candidate) {
        if (!IPV4.matcher(candidate).matches() && !IPV6.matcher(candidate).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(candidate);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
