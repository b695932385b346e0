package io.distill.api.records;

import io.distill.api.identity.CurrentUser;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * The typed records the built-in templates produced for the caller, newest first: news events with
 * their messages and routing decisions, broker reports with their points and how often they were
 * seen, drawings with their title blocks.
 */
@Path("/api/records")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class RecordResource {
    static final int MAX_LIMIT = 100;

    private final RecordService records;
    private final CurrentUser user;

    public RecordResource(RecordService records, CurrentUser user) {
        this.records = records;
        this.user = user;
    }

    /** News events; each with its latest 50 messages (per-message values) and routing decisions. */
    @GET
    @Path("/news-events")
    public Uni<List<Map<String, Object>>> newsEvents(@QueryParam("limit") @DefaultValue("20") int limit) {
        return records.list(user.id(), RecordService.Kind.NEWS_EVENTS, checked(limit));
    }

    /** Broker reports with their key points, seen count and the run that produced them. */
    @GET
    @Path("/broker-reports")
    public Uni<List<Map<String, Object>>> brokerReports(@QueryParam("limit") @DefaultValue("20") int limit) {
        return records.list(user.id(), RecordService.Kind.BROKER_REPORTS, checked(limit));
    }

    /** Drawings with their title-block fields. */
    @GET
    @Path("/drawings")
    public Uni<List<Map<String, Object>>> drawings(@QueryParam("limit") @DefaultValue("20") int limit) {
        return records.list(user.id(), RecordService.Kind.DRAWINGS, checked(limit));
    }

    private static int checked(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }
}
