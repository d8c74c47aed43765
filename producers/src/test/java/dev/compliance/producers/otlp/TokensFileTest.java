package dev.compliance.producers.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compliance.avro.DataClass;
import dev.compliance.avro.Plan;
import dev.compliance.producers.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensFileTest {

    @TempDir
    Path dir;

    @Test
    void aTokenStandsForItsOrgAndDefaultsAndTheFileHoldsOnlyItsHash() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# exporters of acme\n\n" + TokensFile.hash("cc-acme-1") + "  org_acme=ENTERPRISE:SENSITIVE\n"
                + TokensFile.hash("cc-beta-1") + " org_beta=team\n");

        TokensFile tokens = TokensFile.load(file);

        assertThat(tokens.size()).isEqualTo(2);
        assertThat(tokens.caller("cc-acme-1")).isEqualTo(new Caller("org_acme", new OrgDefaults(Plan.ENTERPRISE, DataClass.SENSITIVE)));
        assertThat(tokens.caller("cc-beta-1")).isEqualTo(new Caller("org_beta", new OrgDefaults(Plan.TEAM, null)));
        assertThat(tokens.caller("cc-unknown")).isNull();
        assertThat(Files.readString(file)).doesNotContain("cc-acme-1");
        assertThat(TokensFile.hash("abc")).isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aChangedFileIsReadAgainAndABrokenChangeKeepsTheTokensReadBefore() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, TokensFile.hash("first") + " org_a=API\n");
        TokensFile tokens = TokensFile.load(file);
        assertThat(tokens.caller("second")).isNull();

        Files.writeString(file, TokensFile.hash("second") + " org_b=PRO\n" + TokensFile.hash("third") + " org_c=API\n");
        assertThat(tokens.caller("second")).extracting(Caller::orgId).isEqualTo("org_b");
        assertThat(tokens.caller("first")).isNull(); // revoked

        Files.writeString(file, "cc-plain-token org_b=PRO\n");
        assertThat(tokens.caller("second")).extracting(Caller::orgId).isEqualTo("org_b");
    }

    @Test
    void aMalformedFileNamesTheLineAndNeverEchoesIt() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# ok\ncc-plain-token org_a=API\n");
        assertThatThrownBy(() -> TokensFile.load(file)).isInstanceOf(SourceException.class)
                .hasMessage("otlp: tokens file " + file + " line 2 must look like 'sha256:<64 lowercase hex> ORG=PLAN[:CLASS]'"
                        + " (the token's SHA-256, never the token itself)");
        Files.writeString(file, TokensFile.hash("t") + " org_a=GOLD\n");
        assertThatThrownBy(() -> TokensFile.load(file)).hasMessageStartingWith("otlp: tokens file " + file + " line 1: ")
                .hasMessageContaining("unknown plan 'GOLD'");
        assertThatThrownBy(() -> TokensFile.load(dir.resolve("missing")))
                .hasMessageStartingWith("otlp: cannot read the tokens file " + dir.resolve("missing"));
    }
}
