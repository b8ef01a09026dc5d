package io.culex.acl.file.internal;

/** An ACL file that cannot be used; the message is Mosquitto's for the problem, with the file and line. */
final class AclFileException extends Exception {
    private static final long serialVersionUID = 1L;

    AclFileException(String message) {
        super(message);
    }
}
