package com.ibm.ws.tcpchannel.internal;

import java.io.IOException;

/**
 * Stands in for Open Liberty 26's write context: a synchronous write on a connection that was closed under it waits
 * until someone hands it an error, since nothing else will complete it (Liberty's {@code WorkQueueManager.attemptIO}
 * returns without completing a request on a closed connection); an interrupt makes it wait again.
 */
public class TCPBaseRequestContext {

    protected SimpleSync blockWait = new SimpleSync();
    protected IOException blockingIOError;

    /**
     * Writes on a connection closed meanwhile: never completes by itself.
     *
     * @throws IOException the error handed to the waiting write
     */
    public void writeOnClosedConnection() throws IOException {
        blockingIOError = null;
        while (blockingIOError == null) {
            blockWait.simpleWait();
        }
        throw blockingIOError;
    }

    /** The public connection type Liberty's SPI hands out, which gives its write context until it is destroyed. */
    public static class Connection {
        private volatile TCPBaseRequestContext write = new TCPBaseRequestContext();

        public TCPBaseRequestContext getWriteInterface() {
            return write;
        }

        /** As Liberty's {@code TCPConnLink} when its connection is closed: the write context is let go. */
        public void destroy() {
            write = null;
        }
    }
}
