package com.ibm.ws.wsoc.external;

import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import com.ibm.ws.tcpchannel.internal.TCPBaseRequestContext;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

/**
 * Stands in for Open Liberty 26's session, with the path from it to its write context that Covet follows
 * ({@code impl.connLink.linkWrite.tcpWriteContext}): its close writes the close frame synchronously, on a connection
 * that, when {@code closedUnderTheWrite}, was closed under that write — and then, as in Liberty, the TCP
 * connection's {@code getWriteInterface()} answers null.
 */
public class SessionExt implements Session {

    final Impl impl = new Impl();
    private final boolean closedUnderTheWrite;
    private volatile boolean closed;

    private final CountDownLatch writeStarts;

    public SessionExt(boolean closedUnderTheWrite) {
        this(closedUnderTheWrite, new CountDownLatch(0));
    }

    /**
     * @param closedUnderTheWrite whether the close's write waits forever
     * @param writeStarts what a close waits for before it writes
     */
    public SessionExt(boolean closedUnderTheWrite, CountDownLatch writeStarts) {
        this.closedUnderTheWrite = closedUnderTheWrite;
        this.writeStarts = writeStarts;
    }

    /** @return the write context a close waits on */
    public TCPBaseRequestContext write() {
        return impl.connLink.linkWrite.tcpWriteContext;
    }

    @Override
    public void close(CloseReason reason) throws IOException {
        closed = true;
        try {
            writeStarts.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (closedUnderTheWrite) {
            impl.connLink.tcpConnection.destroy();
            write().writeOnClosedConnection();
        }
    }

    @Override
    public void close() throws IOException {
        close(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public String getId() {
        return "liberty-1";
    }

    static final class Impl {
        final Link connLink = new Link();
    }

    static final class Link {
        private final TCPBaseRequestContext.Connection tcpConnection = new TCPBaseRequestContext.Connection();
        private final LinkWrite linkWrite = new LinkWrite(tcpConnection.getWriteInterface());
    }

    /** Liberty's {@code LinkWrite}: keeps the write context it was initialised with. */
    static final class LinkWrite {
        private final TCPBaseRequestContext tcpWriteContext;

        LinkWrite(TCPBaseRequestContext tcpWriteContext) {
            this.tcpWriteContext = tcpWriteContext;
        }
    }

    @Override
    public WebSocketContainer getContainer() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addMessageHandler(MessageHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Whole<T> handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Partial<T> handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<MessageHandler> getMessageHandlers() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeMessageHandler(MessageHandler handler) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getProtocolVersion() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getNegotiatedSubprotocol() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Extension> getNegotiatedExtensions() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isSecure() {
        throw new UnsupportedOperationException();
    }

    @Override
    public long getMaxIdleTimeout() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setMaxIdleTimeout(long milliseconds) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setMaxBinaryMessageBufferSize(int length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int getMaxBinaryMessageBufferSize() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setMaxTextMessageBufferSize(int length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int getMaxTextMessageBufferSize() {
        throw new UnsupportedOperationException();
    }

    @Override
    public RemoteEndpoint.Async getAsyncRemote() {
        throw new UnsupportedOperationException();
    }

    @Override
    public RemoteEndpoint.Basic getBasicRemote() {
        throw new UnsupportedOperationException();
    }

    @Override
    public URI getRequestURI() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, List<String>> getRequestParameterMap() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getQueryString() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> getPathParameters() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, Object> getUserProperties() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Principal getUserPrincipal() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<Session> getOpenSessions() {
        throw new UnsupportedOperationException();
    }
}
