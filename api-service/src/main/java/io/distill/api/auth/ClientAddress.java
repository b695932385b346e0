package io.distill.api.auth;

import io.vertx.core.http.HttpServerRequest;

/**
 * The caller's network address, for throttling. Behind a proxy it is the proxy's unless
 * {@code quarkus.http.proxy.proxy-address-forwarding} trusts the forwarded header (set it only with
 * {@code quarkus.http.proxy.trusted-proxies}, or every caller can choose its own address).
 */
final class ClientAddress {
    private ClientAddress() {}

    static String of(HttpServerRequest request) {
        return request == null || request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().hostAddress();
    }
}
