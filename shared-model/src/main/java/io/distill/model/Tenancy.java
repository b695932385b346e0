package io.distill.model;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Row-level security on the tenant tables admits a row only in a transaction that named its user
 * with a proof: HMAC-SHA256 of the user id under the tenant key ({@code distill.db.tenant-key}),
 * which the database checks in {@code distill_tenant()} against its own copy of the key — a copy
 * the application role cannot read. So a session that can run any SQL as the application role,
 * but does not hold the key, cannot become another user by setting a variable.
 */
public final class Tenancy {
    /** The statement every service runs first in a tenant transaction: {@code $1} the user id, {@code $2} its proof. */
    public static final String SET_TENANT =
            "select set_config('distill.user_id', $1, true), set_config('distill.tenant_proof', $2, true)";
    /** Setting that holds the key in every service that reads tenant tables. */
    public static final String KEY_SETTING = "distill.db.tenant-key";

    static final int MIN_KEY_CHARS = 32;
    private static final java.util.regex.Pattern KEY_FORM =
            java.util.regex.Pattern.compile("[A-Za-z0-9+/=_-]{" + MIN_KEY_CHARS + ",512}");

    /** Users whose proof is kept: a proof never changes for a key, and an HMAC per request cost ~5 % of a submission. */
    private static final int KEPT_PROOFS = 10_000;

    private final SecretKeySpec key;
    private final LoadingCache<String, String> proofs =
            Caffeine.newBuilder().maximumSize(KEPT_PROOFS).build(this::compute);

    public Tenancy(String key) {
        if (key == null || !KEY_FORM.matcher(key).matches()) {
            throw new IllegalStateException(
                    KEY_SETTING + " must be a secret of at least " + MIN_KEY_CHARS
                            + " letters, digits or + / = _ - (environment DISTILL_DB_TENANT_KEY), the same for the API and the gateway");
        }
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The proof for {@code userId}, as the database computes it: hex of HMAC-SHA256(key, user id). */
    public String proof(String userId) {
        return proofs.get(userId);
    }

    private String compute(String userId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
