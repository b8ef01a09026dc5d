package io.culex.dynsec.internal.json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Set;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.culex.dynsec.internal.model.Acl;
import io.culex.dynsec.internal.model.AclType;
import io.culex.dynsec.internal.model.Client;
import io.culex.dynsec.internal.model.DefaultAccess;
import io.culex.dynsec.internal.model.Group;
import io.culex.dynsec.internal.model.Link;
import io.culex.dynsec.internal.model.Named;
import io.culex.dynsec.internal.model.Password;
import io.culex.dynsec.internal.model.Role;
import io.culex.dynsec.internal.model.SecurityModel;

/**
 * {@code dynamic-security.json} in Mosquitto's format, both ways: a file Mosquitto wrote loads here, and Mosquitto
 * loads the files written here. Entries Mosquitto would skip (a client without user name, a password that is not a
 * 64-byte hash with a 12-byte salt, a role reference to an unknown role, ...) are skipped here too.
 *
 * <p>Saving is atomic: the new content is written to {@code <file>.new}, forced to disk, and renamed over the file,
 * and the directory is forced, so that a crash at any moment leaves either the old or the new file, never a part.
 */
public final class ModelFile {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private final ObjectWriter writer;

    public ModelFile(Path path) {
        this.path = path;
        DefaultIndenter tabs = new DefaultIndenter("\t", "\n");
        this.writer = Json.MAPPER.writer(new DefaultPrettyPrinter().withObjectIndenter(tabs).withArrayIndenter(tabs));
    }

    public Path path() {
        return path;
    }

    /**
     * Read the file. An empty file is an empty model, as in Mosquitto.
     *
     * @throws java.nio.file.NoSuchFileException if there is no file
     * @throws IOException if it cannot be read
     * @throws InvalidFileException if it is not JSON or its top-level lists are not lists
     */
    public SecurityModel load() throws IOException, InvalidFileException {
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length == 0) {
            return new SecurityModel();
        }
        JsonNode tree;
        try {
            tree = Json.parse(bytes);
        } catch (IOException e) {
            throw new InvalidFileException("File is not valid JSON.");
        }
        if (!tree.isObject()) {
            throw new InvalidFileException("File is not valid JSON.");
        }
        return fromJson(tree);
    }

    /** Write the model atomically (see the class comment). */
    public void save(SecurityModel model) throws IOException {
        byte[] bytes = writer.writeValueAsBytes(toJson(model));
        Path fresh = path.resolveSibling(path.getFileName() + ".new");
        Files.deleteIfExists(fresh);
        Files.createFile(fresh);
        keepPermissions(fresh);
        try (FileChannel channel = FileChannel.open(fresh, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(fresh, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(path.toAbsolutePath().getParent());
    }

    /** The file holds password hashes: a new file is readable by its owner only; a replaced one keeps its mode. */
    private void keepPermissions(Path fresh) {
        try {
            Set<PosixFilePermission> mode = Files.exists(path) ? Files.getPosixFilePermissions(path) : OWNER_ONLY;
            Files.setPosixFilePermissions(fresh, mode);
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the default permissions stay
        }
    }

    private static void forceDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some systems cannot open a directory; the rename itself is still atomic there
        }
    }

    // ------------------------------------------------------------------------------------------------- reading

    /** Build a model from the file's tree, in Mosquitto's order: defaults, roles, clients, groups. */
    public static SecurityModel fromJson(JsonNode tree) throws InvalidFileException {
        SecurityModel model = new SecurityModel();
        JsonNode defaults = Json.field(tree, "defaultACLAccess");
        if (defaults != null && defaults.isObject()) {
            model.defaultAccess(new DefaultAccess(
                    Json.boolOr(defaults, DefaultAccess.PUBLISH_CLIENT_SEND, false),
                    Json.boolOr(defaults, DefaultAccess.PUBLISH_CLIENT_RECEIVE, false),
                    Json.boolOr(defaults, DefaultAccess.SUBSCRIBE, false),
                    Json.boolOr(defaults, DefaultAccess.UNSUBSCRIBE, false)));
        }
        for (JsonNode node : list(tree, "roles")) {
            Role role = readRole(node);
            if (role != null) {
                model.add(role);
            }
        }
        for (JsonNode node : list(tree, "clients")) {
            Client client = readClient(node, model);
            if (client != null) {
                model.add(client);
            }
        }
        for (JsonNode node : list(tree, "groups")) {
            readGroup(node, model);
        }
        String anonymous = Json.string(tree, "anonymousGroup");
        if (anonymous != null) {
            model.anonymousGroup(model.group(anonymous));
        }
        return model;
    }

    private static JsonNode list(JsonNode tree, String name) throws InvalidFileException {
        JsonNode node = Json.field(tree, name);
        if (node == null) {
            return Json.MAPPER.createArrayNode();
        }
        if (!node.isArray()) {
            throw new InvalidFileException("\"" + name + "\" is not a list.");
        }
        return node;
    }

    /** A role from the file or from {@code createRole}/{@code modifyRole}; null if Mosquitto would skip it. */
    public static Role readRole(JsonNode node) {
        if (!node.isObject()) {
            return null;
        }
        String name = Json.string(node, "rolename");
        if (name == null || Json.notAString(node, "textname") || Json.notAString(node, "textdescription")) {
            return null;
        }
        Role role = new Role(name);
        readTexts(node, role);
        readAcls(Json.array(node, "acls"), role);
        return role;
    }

    private static void readTexts(JsonNode node, Named named) {
        named.textName(Json.string(node, "textname"));
        named.textDescription(Json.string(node, "textdescription"));
    }

    /** ACL entries of any type; entries without a topic or of an unknown type are skipped, as in Mosquitto. */
    public static void readAcls(JsonNode acls, Role role) {
        if (acls == null) {
            return;
        }
        for (JsonNode entry : acls) {
            String typeName = Json.string(entry, "acltype");
            String topic = Json.string(entry, "topic");
            AclType type = typeName == null ? null : AclType.byName(typeName).orElse(null);
            if (type != null && topic != null) {
                role.addAcl(type, new Acl(topic, Json.intOr(entry, "priority", 0),
                        Json.boolOr(entry, "allow", false)));
            }
        }
    }

    private static Client readClient(JsonNode node, SecurityModel model) {
        String username = Json.string(node, "username");
        if (!node.isObject() || username == null || model.client(username) != null) {
            return null;
        }
        Client client = new Client(username);
        client.disabled(Json.boolOr(node, "disabled", false));
        String salt = Json.string(node, "salt");
        String hash = Json.string(node, "password");
        JsonNode iterations = Json.field(node, "iterations");
        if (salt != null && hash != null && iterations != null && iterations.isNumber()) {
            try {
                client.password(new Password(Base64.getDecoder().decode(hash.trim()),
                        Base64.getDecoder().decode(salt.trim()), Json.intOr(node, "iterations", 0)));
            } catch (IllegalArgumentException e) {
                return null; // Mosquitto skips a client whose password it cannot use rather than open it up
            }
        }
        client.clientId(Json.string(node, "clientid"));
        readTexts(node, client);
        JsonNode roles = Json.array(node, "roles");
        if (roles != null) {
            for (JsonNode link : roles) {
                Role role = model.role(Json.string(link, "rolename"));
                if (role != null) {
                    client.addRole(role, Json.intOr(link, "priority", Link.NO_PRIORITY));
                }
            }
        }
        return client;
    }

    private static void readGroup(JsonNode node, SecurityModel model) {
        String name = Json.string(node, "groupname");
        if (!node.isObject() || name == null || model.group(name) != null) {
            return;
        }
        Group group = new Group(name);
        readTexts(node, group);
        JsonNode roles = Json.array(node, "roles");
        if (roles != null) {
            for (JsonNode link : roles) {
                Role role = model.role(Json.string(link, "rolename"));
                if (role != null) {
                    group.addRole(role, Json.intOr(link, "priority", Link.NO_PRIORITY));
                }
            }
        }
        model.add(group);
        JsonNode clients = Json.array(node, "clients");
        if (clients != null) {
            for (JsonNode member : clients) {
                Client client = model.client(Json.string(member, "username"));
                if (client != null) {
                    model.addMember(group, client, Json.intOr(member, "priority", Link.NO_PRIORITY));
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- writing

    /** The file's tree, member for member as Mosquitto writes it. */
    public static ObjectNode toJson(SecurityModel model) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        DefaultAccess defaults = model.defaultAccess();
        ObjectNode access = root.putObject("defaultACLAccess");
        access.put(DefaultAccess.PUBLISH_CLIENT_SEND, defaults.publishClientSend());
        access.put(DefaultAccess.PUBLISH_CLIENT_RECEIVE, defaults.publishClientReceive());
        access.put(DefaultAccess.SUBSCRIBE, defaults.subscribe());
        access.put(DefaultAccess.UNSUBSCRIBE, defaults.unsubscribe());

        ArrayNode clients = root.putArray("clients");
        for (Client client : model.clients()) {
            ObjectNode node = clients.addObject();
            node.put("username", client.name());
            Views.putIfSet(node, "clientid", client.clientId());
            Views.putTexts(node, client);
            if (client.disabled()) {
                node.put("disabled", true);
            }
            node.set("roles", Views.links(client.roles(), "rolename"));
            Password password = client.password();
            if (password != null) {
                node.put("password", Base64.getEncoder().encodeToString(password.hashBytes()));
                node.put("salt", Base64.getEncoder().encodeToString(password.saltBytes()));
                node.put("iterations", password.iterations());
            }
        }

        ArrayNode groups = root.putArray("groups");
        for (Group group : model.groups()) {
            ObjectNode node = groups.addObject();
            node.put("groupname", group.name());
            Views.putTexts(node, group);
            node.set("roles", Views.links(group.roles(), "rolename"));
            node.set("clients", Views.links(group.clients(), "username"));
        }
        if (model.anonymousGroup() != null) {
            root.put("anonymousGroup", model.anonymousGroup().name());
        }

        ArrayNode roles = root.putArray("roles");
        for (Role role : model.roles()) {
            roles.add(Views.role(role));
        }
        return root;
    }

    /** The file exists but Culex will not run on it (rather than run on part of it and overwrite the rest). */
    public static final class InvalidFileException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidFileException(String message) {
            super(message);
        }
    }
}
