package io.distill.api.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Tells the browser page where the progress WebSocket lives (another service, another port locally). */
@Path("/api/client-config")
public class ClientConfigResource {
    public record ClientConfig(String progressSocketUrl) {}

    @ConfigProperty(name = "distill.client.progress-socket-url")
    String progressSocketUrl;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ClientConfig get() {
        return new ClientConfig(progressSocketUrl);
    }
}
