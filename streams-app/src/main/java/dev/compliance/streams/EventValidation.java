package dev.compliance.streams;

import dev.compliance.avro.UsageEvent;

/**
 * Checks a decoded usage event before it is judged. An event that fails goes to the dead-letter topic
 * with the reason in its headers; it is never judged, and the application keeps running.
 */
public final class EventValidation {

    private EventValidation() {
    }

    /** The reason the event cannot be judged, or null when it is valid. */
    public static String problem(String key, UsageEvent event) {
        if (event == null) {
            return "empty record (no value)";
        }
        if (blank(event.getOrgId())) {
            return "missing orgId";
        }
        if (blank(event.getEventId())) {
            return "missing eventId";
        }
        if (blank(event.getUserId())) {
            return "missing userId";
        }
        if (!event.getOrgId().equals(key)) {
            return "record key '" + key + "' is not the event's orgId '" + event.getOrgId()
                    + "' (events must be keyed by orgId to meet their org policy)";
        }
        if (event.getEventTime().toEpochMilli() <= 0) {
            return "eventTime " + event.getEventTime() + " is not after 1970-01-01";
        }
        if (event.getRequestCount() != null && event.getRequestCount() < 0) {
            return "negative requestCount " + event.getRequestCount();
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
