package dev.socialpulse.flink.ads;

/**
 * From {@code validFrom} on, an anonymous visitor is {@code userId}: a {@code user.identified}
 * event linked them. A later one for the same anonymous id (another user signed in on the device)
 * links it to that user from its time on.
 */
public record LinkVersion(long validFrom, String userId) implements Versioned<LinkVersion> {

    @Override
    public boolean sameValueAs(LinkVersion other) {
        return userId.equals(other.userId);
    }
}
