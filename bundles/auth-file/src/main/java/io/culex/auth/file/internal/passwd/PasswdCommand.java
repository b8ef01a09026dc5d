package io.culex.auth.file.internal.passwd;

import io.culex.auth.file.internal.PasswordHash;

/**
 * The parsed command line of {@code culex-passwd}, with mosquitto_passwd 2.0.11's rules: options first, then the
 * file, user name and (with {@code -b}) password.
 *
 * @param mode what to do
 * @param algorithm {@code -H}
 * @param iterations {@code -I}
 * @param file the password file
 * @param username the user, {@code null} for {@code -U}
 * @param password the password from the command line ({@code -b}), else {@code null}
 */
record PasswdCommand(Mode mode, PasswordHash.Algorithm algorithm, int iterations, String file, String username,
        String password) {

    /** What the command does. */
    enum Mode {
        /** {@code -c}: a new file with one user. */
        CREATE,
        /** add or change one user's password. */
        SET,
        /** {@code -D}: remove one user. */
        DELETE,
        /** {@code -U}: hash the plain-text passwords of a file. */
        UPDATE_FILE
    }

    /** A bad command line: the message to print on stderr, or {@code null} for the usage text on stdout. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static PasswdCommand parse(String[] args) throws UsageException {
        PasswordHash.Algorithm algorithm = PasswordHash.Algorithm.SHA512_PBKDF2;
        int iterations = PasswordHash.DEFAULT_ITERATIONS;
        boolean batch = false;
        boolean create = false;
        boolean delete = false;
        boolean update = false;
        int i = 0;
        for (; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-H")) {
                if (i + 1 == args.length) {
                    throw new UsageException("Error: -H argument given but not enough other arguments.");
                }
                algorithm = algorithm(args[++i]);
            } else if (arg.equals("-I")) {
                if (i + 1 == args.length) {
                    throw new UsageException("Error: -I argument given but not enough other arguments.");
                }
                iterations = atoi(args[++i]);
                if (iterations < 1) {
                    throw new UsageException("Error: Number of iterations must be > 0.");
                }
            } else if (arg.equals("-b")) {
                batch = true;
            } else if (arg.equals("-c")) {
                create = true;
            } else if (arg.equals("-D")) {
                delete = true;
            } else if (arg.equals("-U")) {
                update = true;
            } else {
                break;
            }
        }
        if (create && delete) {
            throw new UsageException("Error: -c and -D cannot be used together.");
        }
        if (create && update) {
            throw new UsageException("Error: -c and -U cannot be used together.");
        }
        if (delete && update) {
            throw new UsageException("Error: -D and -U cannot be used together.");
        }
        if (delete && batch) {
            throw new UsageException("Error: -b and -D cannot be used together.");
        }
        int remaining = args.length - i;
        if (create) {
            if (batch) {
                if (remaining < 3) {
                    throw new UsageException(
                            "Error: -c argument given but password file, username, or password missing.");
                }
                return new PasswdCommand(Mode.CREATE, algorithm, iterations, args[i], args[i + 1], args[i + 2]);
            }
            if (remaining < 2) {
                throw new UsageException("Error: -c argument given but password file or username missing.");
            }
            return new PasswdCommand(Mode.CREATE, algorithm, iterations, args[i], args[i + 1], null);
        }
        if (delete) {
            if (remaining < 2) {
                throw new UsageException("Error: -D argument given but password file or username missing.");
            }
            return new PasswdCommand(Mode.DELETE, algorithm, iterations, args[i], args[i + 1], null);
        }
        if (update) {
            if (remaining != 1) {
                throw new UsageException("Error: -U argument given but password file missing.");
            }
            return new PasswdCommand(Mode.UPDATE_FILE, algorithm, iterations, args[i], null, null);
        }
        if (batch && remaining == 3) {
            return new PasswdCommand(Mode.SET, algorithm, iterations, args[i], args[i + 1], args[i + 2]);
        }
        if (!batch && remaining == 2) {
            return new PasswdCommand(Mode.SET, algorithm, iterations, args[i], args[i + 1], null);
        }
        throw new UsageException(null);
    }

    private static PasswordHash.Algorithm algorithm(String name) throws UsageException {
        for (PasswordHash.Algorithm algorithm : PasswordHash.Algorithm.values()) {
            if (algorithm.optionName().equals(name)) {
                return algorithm;
            }
        }
        throw new UsageException("Error: Unknown hash type '" + name + "'");
    }

    /** C's atoi, which mosquitto_passwd uses: leading digits, anything else is 0. */
    private static int atoi(String text) {
        String t = text.strip();
        int end = 0;
        if (end < t.length() && (t.charAt(end) == '-' || t.charAt(end) == '+')) {
            end++;
        }
        while (end < t.length() && Character.isDigit(t.charAt(end))) {
            end++;
        }
        try {
            return Integer.parseInt(t.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
