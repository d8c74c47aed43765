package dev.compliance.producers.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.DataTag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ContentClassifierTest {

    private final ContentClassifier classifier = new ContentClassifier();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            aws-access-key          | CREDENTIALS      | RESTRICTED | deploy with AKIAIOSFODNN7EXAMPLE please
            aws-secret-key          | CREDENTIALS      | RESTRICTED | aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
            private-key             | CREDENTIALS      | RESTRICTED | -----BEGIN RSA PRIVATE KEY----- MIIEpAIBAAKCAQEA
            private-key             | CREDENTIALS      | RESTRICTED | -----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXk
            gcp-service-account-key | CREDENTIALS      | RESTRICTED | {"type": "service_account", "project_id": "demo"}
            github-token            | CREDENTIALS      | RESTRICTED | token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 works
            github-token            | CREDENTIALS      | RESTRICTED | github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz
            slack-token             | CREDENTIALS      | RESTRICTED | bot uses xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp
            slack-token             | CREDENTIALS      | RESTRICTED | post to https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXX
            anthropic-api-key       | CREDENTIALS      | RESTRICTED | export ANTHROPIC_API_KEY=sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv_wxyz-0123
            api-key                 | CREDENTIALS      | RESTRICTED | config: api_key: "9f8e7d6c5b4a39281706f5e4"
            api-key                 | CREDENTIALS      | RESTRICTED | client = Client(password='hunter2hunter2hunter2')
            email                   | PII              | SENSITIVE  | write to jane.doe@example.com about it
            phone                   | PII              | SENSITIVE  | call me at (415) 555-0132 tomorrow
            phone                   | PII              | SENSITIVE  | or on +44 20 7946 0958 in London
            us-ssn                  | PII              | RESTRICTED | her SSN is 123-45-6789
            uk-nino                 | PII              | RESTRICTED | NI number AB 12 34 56 C on file
            medical-record-number   | PHI              | SENSITIVE  | summarize chart for MRN: 00482913
            icd10-diagnosis         | PHI              | SENSITIVE  | the patient was diagnosed with E11.9 last year
            payment-card            | FINANCIAL        | SENSITIVE  | charge card 4111 1111 1111 1111 now
            payment-card            | FINANCIAL        | SENSITIVE  | amex 378282246310005
            iban                    | FINANCIAL        | SENSITIVE  | wire to GB82 WEST 1234 5698 7654 32
            iban                    | FINANCIAL        | SENSITIVE  | DE89370400440532013000 is the account
            routing-number          | FINANCIAL        | SENSITIVE  | ABA routing 011000015
            bank-account-number     | FINANCIAL        | SENSITIVE  | account number: 000123456789
            legal-privilege         | LEGAL_PRIVILEGED | RESTRICTED | PRIVILEGED & CONFIDENTIAL: draft settlement terms
            trade-secret            | TRADE_SECRET     | SENSITIVE  | this formula is a trade secret of ours
            """)
    void detects(String kind, DataTag tag, DataClass floor, String text) {
        Classification result = classifier.classify(text);
        assertThat(result.findings()).containsKey(kind);
        assertThat(result.tags()).contains(tag);
        assertThat(result.floor()).isEqualTo(floor);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "refactor the parser in src/main/java and add tests",
            "bump version 1.2.3 to 1.2.4 on 2026-03-02",
            "order 123456789 shipped",                  // nine digits but no routing context
            "the vitamin B12.1 level is low",            // code shape without patient words
            "card 4111 1111 1111 1112 is a typo",        // fails Luhn
            "IBAN GB00 WEST 1234 5698 7654 32 example",  // fails mod 97
            "use AKIA as a prefix in docs",
            "call 555-0132",
            "password: short",
            "the api key lives in the vault",
            "BEGIN PUBLIC KEY block is fine"})
    void ignoresLookAlikes(String text) {
        assertThat(classifier.classify(text)).isEqualTo(Classification.NOTHING);
    }

    @Test
    void nullAndBlankAreNothing() {
        assertThat(classifier.classify(null)).isEqualTo(Classification.NOTHING);
        assertThat(classifier.classify("  \n")).isEqualTo(Classification.NOTHING);
    }

    @Test
    void combinesFindingsAndTakesTheHighestFloor() {
        Classification result = classifier.classify(
                "Patient jane.doe@example.com (MRN 0048291) paid with 4111111111111111; key AKIAIOSFODNN7EXAMPLE");
        assertThat(result.sortedTags()).containsExactly(DataTag.PII, DataTag.PHI, DataTag.FINANCIAL, DataTag.CREDENTIALS);
        assertThat(result.floor()).isEqualTo(DataClass.RESTRICTED);
        assertThat(result.findings()).containsEntry("email", 1).containsEntry("aws-access-key", 1);
        assertThat(result.raise(DataClass.PUBLIC)).isEqualTo(DataClass.RESTRICTED);
    }

    @Test
    void neverLowersTheDeclaredClass() {
        Classification email = classifier.classify("ping bob@example.org");
        assertThat(email.raise(DataClass.PUBLIC)).isEqualTo(DataClass.SENSITIVE);
        assertThat(email.raise(DataClass.RESTRICTED)).isEqualTo(DataClass.RESTRICTED);
        assertThat(Classification.NOTHING.raise(DataClass.INTERNAL)).isEqualTo(DataClass.INTERNAL);
    }

    @Test
    void theResultHoldsNoPartOfTheText() {
        String secret = "AKIAIOSFODNN7EXAMPLE";
        Classification result = classifier.classify("key " + secret + " and ssn 123-45-6789");
        assertThat(result.toString()).doesNotContain(secret).doesNotContain("6789");
    }

    @Test
    void mergeUnitesTagsCountsAndFloors() {
        Classification a = classifier.classify("mail a@example.com");
        Classification b = classifier.classify("mail b@example.com, key AKIAIOSFODNN7EXAMPLE");
        Classification both = a.merge(b);
        assertThat(both.findings()).containsEntry("email", 2).containsEntry("aws-access-key", 1);
        assertThat(both.floor()).isEqualTo(DataClass.RESTRICTED);
        assertThat(a.merge(Classification.NOTHING)).isEqualTo(a);
        assertThat(Classification.NOTHING.merge(a)).isEqualTo(a);
    }
}
