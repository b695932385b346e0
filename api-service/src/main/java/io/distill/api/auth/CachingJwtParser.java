package io.distill.api.auth;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Bearer tokens are verified once and then taken from {@link VerifiedTokens} while they last. */
@Decorator
@Priority(10)
public abstract class CachingJwtParser implements JWTParser {
    @Inject
    @Delegate
    @Any
    JWTParser delegate;

    @Inject
    VerifiedTokens verified;

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return verified.get(token, delegate::parse);
    }
}
