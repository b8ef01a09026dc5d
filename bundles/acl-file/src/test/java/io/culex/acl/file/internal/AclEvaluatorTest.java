package io.culex.acl.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.culex.api.Access;
import io.culex.api.Decision;

/** ACL parsing and the decision table. */
class AclEvaluatorTest {

    static final List<String> ACL = List.of(
            "# anonymous clients",
            "topic read public/#",
            "topic deny public/secret",
            "",
            "user alice",
            "topic readwrite alice/#",
            "topic write  sensors/+/temp",
            "topic deny alice/private/#",
            "topic $SYS/#",
            "topic read #",
            "",
            "user bob",
            "topic read sensors/#",
            "",
            "user carol",
            "topic deny devices/carol/#",
            "",
            "pattern readwrite devices/%c/#",
            "pattern read users/%u/inbox",
            "pattern write x%c/y",
            "pattern deny devices/blocked/#");

    private static final AclEvaluator EVALUATOR;

    static {
        try {
            EVALUATOR = new AclEvaluator(AclFile.parse("acl", ACL));
        } catch (AclFileException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @ParameterizedTest(name = "{0}/{1} {2} {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // anonymous section
            "c1 | -     | DELIVER   | public/news       | ALLOW",
            "c1 | -     | PUBLISH   | public/news       | DENY",
            "c1 | -     | DELIVER   | public/secret     | DENY",
            "c1 | -     | DELIVER   | public            | ALLOW",
            "c1 | -     | DELIVER   | other             | DENY",
            // a user's section; deny before grants even when written later
            "c2 | alice | PUBLISH   | alice/x           | ALLOW",
            "c2 | alice | DELIVER   | alice/x/y         | ALLOW",
            "c2 | alice | DELIVER   | alice/private/z   | DENY",
            "c2 | alice | PUBLISH   | alice/private     | DENY",
            "c2 | alice | PUBLISH   | sensors/k/temp    | ALLOW",
            "c2 | alice | PUBLISH   | sensors/k/hum     | DENY",
            "c2 | alice | DELIVER   | anything/at/all   | ALLOW",
            "c2 | alice | PUBLISH   | anything          | DENY",
            // $ topics: only rules starting with $ match them ('#' does not)
            "c2 | alice | DELIVER   | $SYS/broker/load  | ALLOW",
            "c3 | bob   | DELIVER   | $SYS/broker/load  | DENY",
            "c2 | alice | DELIVER   | $other/x          | DENY",
            // a user with no section of its own: patterns only
            "c9 | nobody| DELIVER   | public/news       | DENY",
            "dev1 | nobody | PUBLISH | devices/dev1/state | ALLOW",
            "dev1 | nobody | PUBLISH | devices/dev2/state | DENY",
            "dev1 | dana  | DELIVER | users/dana/inbox  | ALLOW",
            "dev1 | dana  | DELIVER | users/erin/inbox  | DENY",
            // %u patterns do not apply without a user name; %c ones do
            "dev1 | -     | DELIVER | users//inbox      | DENY",
            "dev1 | -     | PUBLISH | devices/dev1/x    | ALLOW",
            // %c only as a whole level: 'x%c' is literal
            "cc  | nobody | PUBLISH | xcc/y             | DENY",
            "cc  | nobody | PUBLISH | x%c/y             | ALLOW",
            // a user-section grant is decided before pattern denials; a pattern deny beats pattern grants
            "blocked | nobody | PUBLISH | devices/blocked/a | DENY",
            "c2 | alice | DELIVER   | devices/blocked/a | ALLOW",
            // a user-section deny beats a pattern grant
            "carol | carol | PUBLISH | devices/carol/x  | DENY",
            // + or # in a client id or user name never reaches the patterns
            "a+b | nobody | PUBLISH | devices/a+b/x     | DENY",
            "dev1 | u#   | PUBLISH | devices/dev1/x     | DENY",
            "a/b | nobody | PUBLISH | devices/a/b/x     | ALLOW",
            // UNSUBSCRIBE is never refused
            "c1 | -     | UNSUBSCRIBE | anything/#    | ALLOW",
    })
    void publishAndDeliver(String clientId, String username, Access access, String topic, Decision expected) {
        assertEquals(expected, EVALUATOR.decide(clientId, username, access, topic));
    }

    @ParameterizedTest(name = "{0}/{1} subscribe {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "c1 | -     | public/#          | ALLOW",
            "c1 | -     | #                 | ALLOW",
            "c1 | -     | +/news            | ALLOW",
            "c1 | -     | public/secret     | DENY",
            "c1 | -     | other/#           | DENY",
            "c1 | -     | $SYS/#            | DENY",
            "c2 | alice | $SYS/broker/+     | ALLOW",
            "c2 | alice | alice/private/#   | DENY",
            "c2 | alice | alice/#           | ALLOW",
            "c3 | bob   | sensors/+/temp    | ALLOW",
            "c3 | bob   | sensors           | ALLOW",
            "c3 | bob   | +/+               | ALLOW",
            "c3 | bob   | actuators/#       | DENY",
            "c3 | bob   | $SYS/#            | DENY",
            "dev1 | nobody | devices/dev1/#  | ALLOW",
            "dev1 | nobody | devices/+/x     | ALLOW",
            "dev1 | nobody | devices/dev2/#  | DENY",
            "dev1 | nobody | devices/blocked/# | DENY",
            "dev1 | dana  | users/dana/inbox | ALLOW",
            "dev1 | dana  | users/+/outbox   | DENY",
            "c2 | alice | alice/private     | DENY",
    })
    void subscribe(String clientId, String username, String filter, Decision expected) {
        assertEquals(expected, EVALUATOR.decide(clientId, username, Access.SUBSCRIBE, filter));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "bogus line                | Error: Invalid line in acl_file \"f\": bogus. (f:2)",
            "topic readx a/b           | Error: Invalid topic access type \"readx\" in acl_file \"f\". (f:2)",
            "topic read a/#/b          | Error: Invalid ACL topic \"a/#/b\" in acl_file \"f\". (f:2)",
            "pattern write a+/b        | Error: Invalid ACL topic \"a+/b\" in acl_file \"f\". (f:2)",
            "topic                     | Error: Empty topic in acl_file \"f\". (f:2)",
            "user                      | Error: Missing username in acl_file \"f\", line 2.",
    })
    void badLinesNameFileAndLine(String line, String message) {
        AclFileException e = assertThrows(AclFileException.class,
                () -> AclFile.parse("f", List.of("topic read ok", line)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void mosquittoTokenising() throws Exception {
        AclFile acl = AclFile.parse("f", List.of("  topic read  a b ", "topic read", "user  two words ",
                "topic c/d"));
        assertEquals(List.of(new AclRule(AclRule.Kind.READ, "a b", 1), new AclRule(AclRule.Kind.READWRITE, "read", 2)),
                acl.anonymous());
        assertEquals(List.of(new AclRule(AclRule.Kind.READWRITE, "c/d", 4)), acl.users().get("two words"));
    }
}
