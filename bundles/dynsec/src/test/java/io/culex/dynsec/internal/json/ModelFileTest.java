package io.culex.dynsec.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.culex.dynsec.internal.command.CommandProcessor;
import io.culex.dynsec.internal.model.SecurityModel;

class ModelFileTest {

    /** As written by mosquitto_ctrl 2.0.11 "dynsec init" (password "adminpw"), abridged to two ACLs. */
    static final String MOSQUITTO_FILE = """
        {
        	"defaultACLAccess":	{"publishClientSend":false,"publishClientReceive":true,"subscribe":false,"unsubscribe":true},
        	"clients":	[{
        			"username":	"admin",
        			"textname":	"Dynsec admin user",
        			"roles":	[{"rolename":	"admin"}],
        			"password":	"8Xe/wD1Qlim/VdkieXomJ+FhhzYIp0272paSqchCNZ4NSxICI3pZOS9gz7lLxtjdcJMCX148dwIDwzA6/fpdIg==",
        			"salt":	"xQJSlTUuXRxvHqJw",
        			"iterations":	101
        		}],
        	"roles":	[{
        			"rolename":	"admin",
        			"acls":	[{"acltype":"publishClientSend","topic":"$CONTROL/dynamic-security/#","allow":true},
        				{"acltype":"subscribePattern","topic":"#","allow":true}]
        		}]
        }
        """;

    @Test
    void readsMosquittosFileAndItsPasswords(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("dynamic-security.json");
        Files.writeString(path, MOSQUITTO_FILE);
        SecurityModel model = new ModelFile(path).load();
        assertTrue(model.client("admin").password().matches("adminpw".getBytes(StandardCharsets.UTF_8)));
        assertFalse(model.client("admin").password().matches("other".getBytes(StandardCharsets.UTF_8)));
        assertEquals("admin", model.client("admin").roles().get(0).name());
        assertTrue(model.defaultAccess().publishClientReceive());
        assertFalse(model.defaultAccess().subscribe());
    }

    @Test
    void savesAtomicallyAndReadsBackTheSame(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("dynamic-security.json");
        Files.writeString(path, MOSQUITTO_FILE);
        ModelFile file = new ModelFile(path);
        SecurityModel model = file.load();
        CommandProcessor.process(model, """
            {"commands":[{"command":"createGroup","groupname":"g","textname":"G"},
             {"command":"createClient","username":"u","password":"p","clientid":"c","groups":[{"groupname":"g","priority":3}]},
             {"command":"setAnonymousGroup","groupname":"g"},{"command":"disableClient","username":"u"}]}
            """.getBytes(StandardCharsets.UTF_8), "test");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r-----"));
        file.save(model);

        assertFalse(Files.exists(dir.resolve("dynamic-security.json.new")), "no temporary file is left");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)),
                "the file keeps its mode");
        SecurityModel again = file.load();
        assertEquals(ModelFile.toJson(model), ModelFile.toJson(again));
        assertTrue(again.client("u").disabled());
        assertEquals("g", again.anonymousGroup().name());
        assertEquals(3, again.group("g").clients().get(0).priority());
        assertTrue(again.client("u").password().matches("p".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aNewFileIsPrivate(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("new.json");
        new ModelFile(path).save(new SecurityModel());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    }

    @Test
    void entriesMosquittoWouldSkipAreSkipped(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("f.json");
        Files.writeString(path, """
            {"clients":[{"username":"short-salt","password":"AAAA","salt":"AAAA","iterations":101},
                        {"textname":"no user name"},
                        {"username":"nopw","roles":[{"rolename":"missing"}]}],
             "groups":[{"groupname":"g","clients":[{"username":"ghost"},{"username":"nopw"}]}],
             "anonymousGroup":"nosuchgroup"}
            """);
        SecurityModel model = new ModelFile(path).load();
        assertNull(model.client("short-salt"));
        assertEquals(1, model.clients().size());
        assertNull(model.client("nopw").password());
        assertTrue(model.client("nopw").roles().isEmpty());
        assertEquals(1, model.group("g").clients().size());
        assertNull(model.anonymousGroup());
    }

    @Test
    void aFileThatIsNotJsonIsRefusedNotReplaced(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("f.json");
        Files.writeString(path, "{\"clients\": [");
        assertThrows(ModelFile.InvalidFileException.class, () -> new ModelFile(path).load());
        Files.writeString(path, "{\"clients\": {}}");
        assertThrows(ModelFile.InvalidFileException.class, () -> new ModelFile(path).load());
        Files.writeString(path, "");
        assertNotNull(new ModelFile(path).load(), "an empty file is an empty model, as in Mosquitto");
    }
}
