package dev.socialpulse.flink.ads;

import java.time.Duration;

/** Ad and identify events for the ads tests, with their defaults. */
final class AdFixtures {

    static final long T0 = 1_795_000_020_000L;
    static final long SECOND = 1_000L;
    static final long MINUTE = 60_000L;
    static final long DAY = 24 * 60 * MINUTE;

    static final Duration CLICK_WINDOW = Duration.ofMinutes(30);
    static final Duration ATTRIBUTION_WINDOW = Duration.ofDays(7);
    static final Duration LATENESS = Duration.ofMinutes(5);
    static final Duration PROFILE_TTL = Duration.ofDays(30);

    static final AdPerformanceSettings SETTINGS =
            new AdPerformanceSettings(
                    CLICK_WINDOW,
                    ATTRIBUTION_WINDOW,
                    LATENESS,
                    PROFILE_TTL,
                    Duration.ofSeconds(1),
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2));

    private static int ids;

    private AdFixtures() {}

    /** A fresh UUID-shaped event id. */
    static String nextId() {
        ids++;
        return String.format("0190f1c2-7a3b-7cde-8f01-%012d", ids);
    }

    static Ad impression(String impressionId) {
        return new Ad(AdEvent.IMPRESSION).impression(impressionId).cost(1_500);
    }

    static Ad click(String impressionId, String clickId) {
        return new Ad(AdEvent.CLICK).impression(impressionId).click(clickId).cost(40_000);
    }

    static Ad conversion(String clickId) {
        return new Ad(AdEvent.CONVERSION).click(clickId).revenue(25_000_000);
    }

    /** A user.identified linking {@code anonymousId} (may be empty) to {@code userId}. */
    static AdEvent identify(
            String userId,
            String anonymousId,
            long time,
            String ageBand,
            String gender,
            String country) {
        return new AdEvent(
                AdEvent.IDENTIFIED,
                nextId(),
                userId,
                anonymousId,
                userId,
                time,
                "",
                "",
                "",
                "",
                0,
                0,
                "",
                "",
                "",
                "",
                ageBand,
                gender,
                country);
    }

    /** An ad event being described; {@link #build} makes it. */
    static final class Ad {
        private final String type;
        private String eventId = nextId();
        private String userId = "u-1";
        private String anonymousId = "";
        private long time = T0;
        private String campaignId = "c-1";
        private String adId = "ad-1";
        private String impressionId = "";
        private String clickId = "";
        private long cost;
        private long revenue;
        private String currency = "EUR";
        private String deviceType = "mobile";
        private String os = "iOS";
        private String country = "FR";

        Ad(String type) {
            this.type = type;
        }

        Ad id(String id) {
            this.eventId = id;
            return this;
        }

        Ad by(String user) {
            this.userId = user;
            this.anonymousId = "";
            return this;
        }

        Ad anonymous(String anonymous) {
            this.userId = "";
            this.anonymousId = anonymous;
            return this;
        }

        Ad at(long eventTime) {
            this.time = eventTime;
            return this;
        }

        Ad ad(String campaign, String ad) {
            this.campaignId = campaign;
            this.adId = ad;
            return this;
        }

        Ad impression(String id) {
            this.impressionId = id;
            return this;
        }

        Ad click(String id) {
            this.clickId = id;
            return this;
        }

        Ad cost(long micros) {
            this.cost = micros;
            return this;
        }

        Ad revenue(long micros) {
            this.revenue = micros;
            return this;
        }

        Ad currency(String code) {
            this.currency = code;
            return this;
        }

        Ad device(String type, String operatingSystem, String countryCode) {
            this.deviceType = type;
            this.os = operatingSystem;
            this.country = countryCode;
            return this;
        }

        AdEvent build() {
            return new AdEvent(
                    type,
                    eventId,
                    userId,
                    anonymousId,
                    userId.isEmpty() ? AdEvent.anonymousVisitor(anonymousId) : userId,
                    time,
                    campaignId,
                    adId,
                    impressionId,
                    clickId,
                    cost,
                    revenue,
                    currency,
                    deviceType,
                    os,
                    country,
                    "",
                    "",
                    "");
        }

        /** The event as the joins see it, with no profile known. */
        TaggedAdEvent tagged() {
            return TagProfiles.tag(build(), null);
        }
    }
}
