package dev.compliance.streams.rules;

import dev.compliance.avro.Action;
import dev.compliance.avro.Violation;
import dev.compliance.streams.catalog.PolicyCatalog;

import java.util.ArrayList;
import java.util.List;

/**
 * Every violation rule of POLICY.md, in the policy's order, and the judge that applies them.
 *
 * <p>Content rules judge USE events (content sent). A DELETE sends no content; it is judged only by
 * UNKNOWN_ORG, since an event from an org with no policy record is an audit finding whatever it is.
 */
public final class Rules {

    public static final List<Rule> ALL = List.of(
            new RestrictedData(),
            new CredentialsExposed(),
            new SensitiveWithoutZdr(),
            new OutsideZdrScope(),
            new PhiWithoutBaa(),
            new ConsumerPlanWorkData(),
            new TrainingExposure(),
            new ZdrBlockedFeature(),
            new IndefiniteRetention(),
            new FeedbackSharesData(),
            new PlanNotAllowed(),
            new UnknownOrg());

    private Rules() {
    }

    /** The violations an event raises, one record per rule that fires. */
    public static List<Violation> judge(EventContext c) {
        List<Violation> out = new ArrayList<>();
        for (Rule rule : ALL) {
            boolean applies = c.event().getAction() == Action.USE || rule instanceof UnknownOrg;
            if (applies && rule.firesOn(c)) {
                out.add(violation(rule, c));
            }
        }
        return out;
    }

    static Violation violation(Rule rule, EventContext c) {
        var e = c.event();
        return Violation.newBuilder()
                .setViolationId(e.getEventId() + ":" + rule.code())
                .setCode(rule.code())
                .setSeverity(rule.severity())
                .setOrgId(e.getOrgId())
                .setUserId(e.getUserId())
                .setEventId(e.getEventId())
                .setEventTime(e.getEventTime())
                .setPlan(e.getPlan())
                .setFeature(e.getFeature())
                .setDataClass(e.getDataClass())
                .setEffectiveClass(c.effectiveClass())
                .setDataTags(e.getDataTags())
                .setOrgPolicyVersion(c.orgKnown() ? c.policy().getEffectiveFrom() : null)
                .setCatalogRow(PolicyCatalog.key(c.row().getPlan(), c.row().getFeature()))
                .setCatalogVersion(c.row().getCatalogVersion())
                .setMessage(rule.explain(c) + ". Source: POLICY.md " + rule.code() + ", seed "
                        + String.join(", ", rule.citations()) + "." + deviceOnlyNote(e.getUserId(), e.getDeviceId()))
                .setCitations(rule.citations())
                .setSource(e.getSource())
                .setSessionId(e.getSessionId())
                .setResourceId(e.getResourceId())
                .setDeviceId(e.getDeviceId())
                .build();
    }

    /** The user id producers write when the source names no person. */
    public static final String UNKNOWN_USER = "unknown";

    /** True when the event names a device but no person (for example Claude Code with an API key). */
    public static boolean onlyDeviceKnown(String userId, String deviceId) {
        return deviceId != null && (userId == null || userId.isBlank() || userId.equals(UNKNOWN_USER));
    }

    private static String deviceOnlyNote(String userId, String deviceId) {
        return onlyDeviceKnown(userId, deviceId)
                ? " Only the device is known (deviceId " + deviceId + "), not the person who used it."
                : "";
    }
}
