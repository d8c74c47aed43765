package dev.compliance.producers.classify;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials, personal data, health data, financial identifiers, privileged and trade-secret markers in a
 * text, so that a producer can tag the event and raise its data class, and then drop the text. Every detector is a
 * pattern, optionally checked (Luhn for cards, mod 97 for IBANs, the ABA checksum for routing numbers) and optionally
 * required to stand near context words (ICD-10 codes near patient words). The mapping to classes is documented in
 * producers/README-sources.md; this class never keeps or returns the text.
 */
public final class ContentClassifier {

    private static final int CONTEXT_CHARS = 80;

    private record Detector(String kind, DataTag tag, DataClass floor, Pattern pattern, Predicate<String> check,
                            Pattern context) {
    }

    private static final Pattern HEALTH_WORDS = Pattern.compile(
            "(?i)\\b(?:patient|pt|diagnos\\w*|dx|icd-?10|admitted|discharged?|prescribed|treatment|symptoms?|"
                    + "clinic\\w*|medical|chart|hospital\\w*|physician|comorbid\\w*)\\b");
    private static final Pattern ROUTING_WORDS = Pattern.compile("(?i)\\b(?:routing|aba|rtn|transit)\\b");

    private static final List<Detector> DETECTORS = List.of(
            // credentials
            detector("aws-access-key", DataTag.CREDENTIALS, "\\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\\b"),
            detector("aws-secret-key", DataTag.CREDENTIALS,
                    "(?i)aws_?secret_?access_?key[\"']?\\s*[:=]\\s*[\"']?[A-Za-z0-9/+=]{40}"),
            detector("private-key", DataTag.CREDENTIALS,
                    "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----"),
            detector("gcp-service-account-key", DataTag.CREDENTIALS,
                    "\"private_key_id\"\\s*:\\s*\"[0-9a-f]{40}\"|\"type\"\\s*:\\s*\"service_account\""),
            detector("github-token", DataTag.CREDENTIALS,
                    "\\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\\b|\\bgithub_pat_[A-Za-z0-9_]{22,255}\\b"),
            detector("slack-token", DataTag.CREDENTIALS,
                    "\\bxox[abposre]-[A-Za-z0-9-]{10,250}|https://hooks\\.slack\\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"),
            detector("anthropic-api-key", DataTag.CREDENTIALS, "\\bsk-ant-[A-Za-z0-9_\\-]{20,}"),
            detector("api-key", DataTag.CREDENTIALS,
                    "\\bsk-(?:proj-)?[A-Za-z0-9]{32,}|\\bAIza[0-9A-Za-z_\\-]{35}\\b|"
                            + "(?i)\\b(?:api[_-]?key|apikey|secret[_-]?key|access[_-]?token|auth[_-]?token|"
                            + "client[_-]?secret|password|passwd)\\b[\"']?\\s*[:=]\\s*[\"']?[A-Za-z0-9_\\-./+=]{12,}"),
            // personal data
            detector("email", DataTag.PII, "\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b"),
            detector("phone", DataTag.PII,
                    "(?<![\\w+])(?:\\+?1[-. ]?)?\\(?[2-9]\\d{2}\\)?[-. ][2-9]\\d{2}[-. ]\\d{4}\\b"
                            + "|(?<![\\w+])\\+[1-9]\\d{0,2}[ -]\\d{1,4}(?:[ -]\\d{2,4}){2,4}\\b"),
            new Detector("us-ssn", DataTag.PII, DataClass.RESTRICTED,
                    Pattern.compile("\\b(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}\\b"), s -> true, null),
            new Detector("uk-nino", DataTag.PII, DataClass.RESTRICTED,
                    Pattern.compile("\\b(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]\\b"),
                    s -> true, null),
            // health data
            detector("medical-record-number", DataTag.PHI,
                    "(?i)\\b(?:MRN|medical record (?:number|no\\.?|#))\\s*[:#]?\\s*[A-Z]{0,3}\\d{5,12}\\b"),
            new Detector("icd10-diagnosis", DataTag.PHI, null,
                    Pattern.compile("\\b[A-TV-Z]\\d[0-9AB]\\.[0-9A-TV-Z]{1,4}\\b"), s -> true, HEALTH_WORDS),
            // financial identifiers
            new Detector("payment-card", DataTag.FINANCIAL, null,
                    Pattern.compile("(?<![\\d-])(?:\\d[ -]?){12,18}\\d(?![\\d-])"), Checksums::isPaymentCard, null),
            new Detector("iban", DataTag.FINANCIAL, null,
                    Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\\b"), Checksums::isIban, null),
            new Detector("routing-number", DataTag.FINANCIAL, null,
                    Pattern.compile("(?<!\\d)\\d{9}(?!\\d)"), Checksums::isAbaRouting, ROUTING_WORDS),
            detector("bank-account-number", DataTag.FINANCIAL,
                    "(?i)\\b(?:bank )?(?:account|acct)\\.? ?(?:number|no\\.?|#)\\s*[:#]?\\s*\\d{6,17}\\b"),
            // privileged and proprietary
            detector("legal-privilege", DataTag.LEGAL_PRIVILEGED,
                    "(?i)\\battorney[- ]client privileged?\\b|\\bprivileged (?:and|&) confidential\\b|\\battorney work product\\b"),
            detector("trade-secret", DataTag.TRADE_SECRET,
                    "(?i)\\btrade secrets?\\b|\\bconfidential (?:and|&) proprietary\\b|\\bproprietary (?:and|&) confidential\\b"));

    private static Detector detector(String kind, DataTag tag, String regex) {
        return new Detector(kind, tag, null, Pattern.compile(regex), s -> true, null);
    }

    /** Classifies one text; null or blank text gives {@link Classification#NOTHING}. */
    public Classification classify(String text) {
        if (text == null || text.isBlank()) {
            return Classification.NOTHING;
        }
        Set<DataTag> tags = EnumSet.noneOf(DataTag.class);
        Map<String, Integer> findings = new TreeMap<>();
        DataClass floor = null;
        for (Detector detector : DETECTORS) {
            Matcher matcher = detector.pattern().matcher(text);
            while (matcher.find()) {
                if (!detector.check().test(matcher.group()) || !hasContext(detector, text, matcher)) {
                    continue;
                }
                tags.add(detector.tag());
                findings.merge(detector.kind(), 1, Integer::sum);
                DataClass detectorFloor = detector.floor() != null ? detector.floor() : DataClasses.floorFor(detector.tag());
                floor = floor == null ? detectorFloor : DataClasses.max(floor, detectorFloor);
            }
        }
        return tags.isEmpty() ? Classification.NOTHING : new Classification(tags, floor, findings);
    }

    private static boolean hasContext(Detector detector, String text, Matcher matcher) {
        if (detector.context() == null) {
            return true;
        }
        int from = Math.max(0, matcher.start() - CONTEXT_CHARS);
        int to = Math.min(text.length(), matcher.end() + CONTEXT_CHARS);
        return detector.context().matcher(text).region(from, to).find();
    }
}
