package io.culex.dynsec.internal.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.culex.api.Access;
import io.culex.api.Decision;
import io.culex.dynsec.internal.command.CommandProcessor;
import io.culex.dynsec.internal.model.SecurityModel;

/** Mosquitto's evaluation order: client roles by priority, then groups by priority, then the default access. */
class AccessRulesTest {

    private AccessRules rules;

    @BeforeEach
    void setUp() {
        SecurityModel model = new SecurityModel();
        String request = """
            {"commands":[
             {"command":"createRole","rolename":"low","acls":[
               {"acltype":"publishClientSend","topic":"x/#","allow":true},
               {"acltype":"subscribePattern","topic":"x/#","allow":true}]},
             {"command":"createRole","rolename":"high","acls":[
               {"acltype":"publishClientSend","topic":"x/secret","allow":false},
               {"acltype":"publishClientSend","topic":"x/#","priority":-5,"allow":false},
               {"acltype":"subscribeLiteral","topic":"x/+","allow":false},
               {"acltype":"publishClientReceive","topic":"x/#","allow":true}]},
             {"command":"createRole","rolename":"grouprole","acls":[
               {"acltype":"publishClientSend","topic":"g/#","allow":true},
               {"acltype":"publishClientSend","topic":"x/group","allow":true}]},
             {"command":"createRole","rolename":"anon","acls":[
               {"acltype":"publishClientSend","topic":"public/#","allow":true}]},
             {"command":"createGroup","groupname":"grp","roles":[{"rolename":"grouprole"}]},
             {"command":"createGroup","groupname":"anonymous","roles":[{"rolename":"anon"}]},
             {"command":"setAnonymousGroup","groupname":"anonymous"},
             {"command":"createClient","username":"u","roles":[{"rolename":"low","priority":1},
               {"rolename":"high","priority":2}],"groups":[{"groupname":"grp"}]},
             {"command":"createClient","username":"plain"},
             {"command":"setDefaultACLAccess","acls":[{"acltype":"publishClientReceive","allow":true},
               {"acltype":"unsubscribe","allow":true}]}
            ]}""";
        CommandProcessor.process(model, request.getBytes(StandardCharsets.UTF_8), "test");
        rules = AccessRules.compile(model);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(nullValues = "-", value = {
        // the higher-priority role decides first: its deny for x/secret wins over low's allow
        "u, PUBLISH, x/secret, DENY",
        // within a role the higher-priority entry is checked first: low (priority 1) is consulted after high (2)
        // whose x/# entry denies at priority -5
        "u, PUBLISH, x/other, DENY",
        // client roles come before group roles: high denies x/group before grp's allow is seen
        "u, PUBLISH, x/group, DENY",
        "u, PUBLISH, g/1, ALLOW",
        // literal subscription entries are exact: x/+ denied, x/a falls to low's pattern
        "u, SUBSCRIBE, x/+, DENY",
        "u, SUBSCRIBE, x/a, ALLOW",
        "u, SUBSCRIBE, y, DEFER",
        // default access: receive and unsubscribe allowed, publish and subscribe not (defer, not deny)
        "plain, DELIVER, any/topic, ALLOW",
        "plain, UNSUBSCRIBE, any, ALLOW",
        "plain, PUBLISH, any, DEFER",
        // $CONTROL never falls through to the default access
        "plain, DELIVER, $CONTROL/dynamic-security/v1/response, DEFER",
        // unknown users are left to other plugins
        "stranger, DELIVER, any, DEFER",
        // clients without a user name get the anonymous group's roles
        "-, PUBLISH, public/x, ALLOW",
        "-, PUBLISH, private/x, DEFER",
    })
    void decisions(String username, Access access, String topic, Decision expected) {
        assertEquals(expected, rules.authorize(username, access, topic));
    }
}
