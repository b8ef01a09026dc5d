package io.culex.auth.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Parsing whole files: damaged lines are skipped with file:line, the rest loads. */
class PasswordFileTest {

    @Test
    void damagedLinesAreSkippedAndNamedTheRestLoads() {
        PasswordFile file = PasswordFile.parse("/etc/pw", List.of(
                "# users",
                "alice:" + PasswordHashTest.ALICE_PBKDF2,
                "",
                "carol:$7$abc",
                "dave:nohash",
                ":just-a-user-field",
                "nocolon",
                "  bob : " + PasswordHashTest.BOB_SHA512 + "  ",
                "user:with:colon"));
        assertEquals(List.of("alice", "bob"), file.users().keySet().stream().sorted().toList());
        assertEquals(List.of(
                "Error: Invalid hash iterations for user carol, removing entry. (/etc/pw:4)",
                "Error: Invalid password hash type for user dave, removing entry. (/etc/pw:5)",
                "Warning: Invalid line in password file '/etc/pw': :just-a-user-field (/etc/pw:6)",
                "Warning: Invalid line in password file '/etc/pw': nocolon (/etc/pw:7)",
                "Error: Invalid password hash type for user user, removing entry. (/etc/pw:9)"), file.problems());
    }

    @Test
    void aLaterLineForTheSameUserWinsAndABadLaterLineRemovesTheUser() {
        PasswordFile file = PasswordFile.parse("f", List.of(
                "bob:" + PasswordHashTest.ALICE_PBKDF2,
                "bob:" + PasswordHashTest.BOB_SHA512,
                "alice:" + PasswordHashTest.ALICE_PBKDF2,
                "alice:garbage"));
        assertTrue(file.users().get("bob").matches("pw2".getBytes()));
        assertEquals(List.of("bob"), List.copyOf(file.users().keySet()));
    }
}
