package io.gpucolo.admission.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns the bytes of a configuration file (the policy, a cluster inventory, a request) into a YAML node tree,
 * refusing what such a file never needs: more than its kind's size limit, bytes that are not UTF-8, control characters, more than {@link #MAX_ALIASES} aliases
 * (alias bombs), nesting deeper than {@link #MAX_DEPTH}, more than one document, and tags other than YAML's
 * standard scalar and collection tags. Only nodes are composed; no Java object is ever constructed from the
 * file. Every refusal is a {@link Problem} with the line and column where it was found.
 */
public final class YamlSource {
    /** The usual size limit of a configuration file: 1 MiB. */
    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_ALIASES = 64;
    public static final int MAX_DEPTH = 16;
    private static final Set<String> STANDARD_TAGS = Set.of(Tag.STR.getValue(), Tag.INT.getValue(),
            Tag.FLOAT.getValue(), Tag.BOOL.getValue(), Tag.NULL.getValue(), Tag.SEQ.getValue(), Tag.MAP.getValue(), "!");

    private YamlSource() {
    }

    /**
     * Reads at most the kind's size limit (plus one byte, to tell a bigger file) from {@code file}; returns null after
     * reporting at 1:1 why it cannot (no such file, a directory, permission denied, too big, an I/O error).
     */
    public static byte[] read(Path file, Diagnostics diag, DocumentKind kind) {
        try {
            if (Files.isDirectory(file)) {
                diag.at(1, 1, "is a directory, not a " + kind.noun());
                return null;
            }
            long size = Files.size(file);
            if (size > kind.maxBytes()) {
                diag.at(1, 1, "file is " + size + " bytes; a " + kind.noun() + " may be at most " + kind.limitText());
                return null;
            }
            try (InputStream in = Files.newInputStream(file)) {
                return in.readNBytes(kind.maxBytes() + 1);
            }
        } catch (NoSuchFileException e) {
            diag.at(1, 1, "no such file");
        } catch (AccessDeniedException e) {
            diag.at(1, 1, "permission denied");
        } catch (IOException e) {
            diag.at(1, 1, "cannot read: " + e.getMessage());
        }
        return null;
    }

    /** Parses {@code bytes}; returns the root node, or null when the file is empty or unreadable (see problems). */
    public static Node parse(byte[] bytes, Diagnostics diag, DocumentKind kind) {
        if (bytes.length > kind.maxBytes()) {
            diag.at(1, 1, "file is " + bytes.length + " bytes; a " + kind.noun() + " may be at most " + kind.limitText());
            return null;
        }
        String text = decode(bytes, diag);
        if (text == null || !printable(text, diag, kind)) {
            return null;
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH + 1);
        options.setCodePointLimit(kind.maxBytes() + 1);
        options.setTagInspector(tag -> true); // tags are checked (with their position) by GuardedParser
        GuardedParser parser = new GuardedParser(new ParserImpl(new StreamReader(text), options), diag, kind);
        try {
            return new Composer(parser, new Resolver(), options).getSingleNode();
        } catch (GuardedParser.Refused e) {
            diag.at(e.mark, e.getMessage());
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            diag.at(m, syntaxMessage(e));
        } catch (YAMLException e) {
            diag.at(1, 1, "YAML error: " + e.getMessage());
        }
        return null;
    }

    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        if (problem.contains("'\\t'") || problem.contains("\\t(TAB)")) {
            return "tab character: YAML indentation must use spaces";
        }
        String context = e.getContext() == null ? "" : e.getContext() + ": ";
        return "YAML syntax error: " + context + problem.replace('\n', ' ').strip();
    }

    /** Strict UTF-8; a leading byte-order mark is dropped. Reports the first invalid byte's position. */
    private static String decode(byte[] bytes, Diagnostics diag) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        out.flip();
        if (r.isError()) {
            String before = out.toString();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < before.length(); i++) {
                if (before.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = before.codePointCount(lineStart, before.length()) + 1;
            diag.at(line, column, String.format("invalid UTF-8: byte 0x%02X at offset %d; save the file as UTF-8",
                    bytes[in.position()] & 0xff, in.position()));
            return null;
        }
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** YAML's printable set (tab, newlines and the printable ranges); reports each offending character. */
    private static boolean printable(String text, Diagnostics diag, DocumentKind kind) {
        int line = 1;
        int column = 1;
        boolean ok = true;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (!StreamReader.isPrintable(cp)) {
                diag.at(line, column, String.format("control character U+%04X is not allowed in a %s", cp, kind.noun()));
                ok = false;
            }
            if (cp == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            i += Character.charCount(cp);
        }
        return ok;
    }

    /** Checks each event as the composer pulls it: alias count, depth and tags. */
    private static final class GuardedParser implements Parser {
        private final Parser inner;
        private final Diagnostics diag;
        private final DocumentKind kind;
        private int aliases;
        private int depth;

        GuardedParser(Parser inner, Diagnostics diag, DocumentKind kind) {
            this.inner = inner;
            this.diag = diag;
            this.kind = kind;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return inner.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return inner.peekEvent();
        }

        @Override
        public Event getEvent() {
            Event e = inner.getEvent();
            if (e instanceof AliasEvent && ++aliases > MAX_ALIASES) {
                throw new Refused(e.getStartMark(), "more than " + MAX_ALIASES + " aliases: refused (alias bomb?)");
            }
            if (e instanceof CollectionStartEvent c) {
                if (++depth > MAX_DEPTH) {
                    throw new Refused(e.getStartMark(), "nesting deeper than " + MAX_DEPTH + " levels: refused");
                }
                checkTag(c.getTag(), e);
            } else if (e.is(Event.ID.SequenceEnd) || e.is(Event.ID.MappingEnd)) {
                depth--;
            } else if (e instanceof ScalarEvent s) {
                checkTag(s.getTag(), e);
            }
            return e;
        }

        private void checkTag(String tag, Event e) {
            if (tag != null && !STANDARD_TAGS.contains(tag)) {
                diag.at(e.getStartMark(), "tag '" + tag + "' is not allowed: a " + kind.noun() + " uses plain YAML values");
            }
        }

        static final class Refused extends RuntimeException {
            private static final long serialVersionUID = 1L;
            final transient Mark mark;

            Refused(Mark mark, String message) {
                super(message, null, false, false);
                this.mark = mark;
            }
        }
    }
}
