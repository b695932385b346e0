package io.distill.api.errors;

/** The body of every 4xx/5xx answer: a stable code and a reason a person can act on. */
public record ApiError(String error, String reason) {}
