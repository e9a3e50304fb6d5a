package dev.covet.websocket.impl.endpoint;

import dev.covet.websocket.impl.config.CovetConfig;

/**
 * What the installer hands every connection through the endpoint config's user properties.
 *
 * @param config the validated configuration
 * @param configurator the configurator, which owns endpoint instances
 */
record Installation(CovetConfig config, CovetConfigurator configurator) {

    /** User-property key of this record. */
    static final String KEY = "dev.covet.installation";
}
