-- The W3C trace context of the request that wrote an outbox row, so the relay (which sends later,
-- from its own thread) continues that trace on Kafka instead of starting a new one.
alter table outbox add column traceparent text;
