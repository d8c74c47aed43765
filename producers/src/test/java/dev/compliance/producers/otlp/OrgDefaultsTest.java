package dev.compliance.producers.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Plan;
import dev.compliance.producers.SourceException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrgDefaultsTest {

    @Test
    void parsesOrgPlanAndOptionalClass() {
        assertThat(OrgDefaults.parse("org-1=enterprise:sensitive"))
                .isEqualTo(Map.entry("org-1", new OrgDefaults(Plan.ENTERPRISE, DataClass.SENSITIVE)));
        assertThat(OrgDefaults.parse("org-2=API")).isEqualTo(Map.entry("org-2", new OrgDefaults(Plan.API, null)));
    }

    @Test
    void badFormsGiveOneLineMessages() {
        assertThatThrownBy(() -> OrgDefaults.parse("org-1"))
                .isInstanceOf(SourceException.class)
                .hasMessage("otlp: org default 'org-1' must look like ORG=PLAN or ORG=PLAN:CLASS");
        assertThatThrownBy(() -> OrgDefaults.parse("org-1=gold"))
                .hasMessageStartingWith("otlp: unknown plan 'gold' in org default 'org-1=gold' (expected one of [FREE,");
        assertThatThrownBy(() -> OrgDefaults.parse("org-1=TEAM:secret"))
                .hasMessageStartingWith("otlp: unknown data class 'secret'");
    }
}
