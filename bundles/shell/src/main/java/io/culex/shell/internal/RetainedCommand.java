package io.culex.shell.internal;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

import io.culex.api.Broker;
import io.culex.api.RetainedMessage;

/** {@code culex:retained [filter]}: the retained messages the filter matches (default {@code #}), with a preview. */
final class RetainedCommand implements ShellCommand {

    static final int LIMIT = 1000;
    private static final int PREVIEW_CHARACTERS = 60;

    private final Broker broker;

    RetainedCommand(Broker broker) {
        this.broker = broker;
    }

    @Override
    public String name() {
        return "retained";
    }

    @Override
    public String usage() {
        return "culex:retained [filter]";
    }

    @Override
    public void run(List<String> args, PrintStream out) {
        expectArguments(args, 0, 1);
        String filter = args.isEmpty() ? "#" : args.get(0);
        List<RetainedMessage> messages;
        try {
            messages = broker.retainedMessages(filter, LIMIT + 1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid topic filter: " + filter);
        }
        Table table = new Table("TOPIC", "QOS", "BYTES", "PAYLOAD");
        messages.stream().sorted(Comparator.comparing(RetainedMessage::topic)).limit(LIMIT).forEach(m ->
                table.row(m.topic(), m.qos(), m.payload().length, preview(m.payload())));
        table.print(out);
        out.println(messages.size() > LIMIT ? "the first " + LIMIT + " retained messages (there are more)"
                : table.size() + (table.size() == 1 ? " retained message" : " retained messages"));
    }

    /** UTF-8 text without control characters, shortened; anything else is described, not printed. */
    static String preview(byte[] payload) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return "(binary)";
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            return "(binary)";
        }
        return text.length() <= PREVIEW_CHARACTERS ? text : text.substring(0, PREVIEW_CHARACTERS - 3) + "...";
    }
}
