package com.ibm.ws.tcpchannel.internal;

/**
 * Stands in for Open Liberty 26's wait object of the same name, with its behaviour as far as Covet relies on it: a
 * waiter returns when notified (or at once if a notification is pending), and an interrupt merely returns early.
 */
public class SimpleSync {

    private boolean pending;

    protected void simpleWait() {
        synchronized (this) {
            if (!pending) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // Liberty's waiter ignores interrupts: its caller loops and waits again.
                }
            }
            pending = false;
        }
    }

    protected void simpleNotify() {
        synchronized (this) {
            pending = true;
            notifyAll();
        }
    }
}
