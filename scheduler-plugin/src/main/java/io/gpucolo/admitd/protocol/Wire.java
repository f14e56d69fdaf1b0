package io.gpucolo.admitd.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The text encoding shared by the hook protocol and the decision journal: values travel percent-encoded, so a
 * line holds only printable ASCII and every byte of a job field (quotes, spaces, newlines, shell
 * metacharacters, bytes that are not UTF-8) survives unchanged. Bytes outside {@code [A-Za-z0-9._:/-]} become
 * {@code %XX}, exactly as {@code enc()} in {@code etc/job_submit.lua.example} writes them.
 */
public final class Wire {
    /** The protocol name and version, the first token of every request and reply line. */
    public static final String VERSION = "GPUCOLO/1";
    /** Largest request line accepted, bytes, newline included. */
    public static final int MAX_REQUEST_BYTES = 8192;
    /** Largest hook reply line, bytes; the Lua hook refuses longer ones. */
    public static final int MAX_REPLY_BYTES = 4096;

    private Wire() {
    }

    static boolean plain(int b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '.' || b == '_' || b == ':' || b == '/' || b == '-';
    }

    /** Percent-encodes the UTF-8 bytes of a value. */
    public static String encode(String value) {
        return encode(value.getBytes(StandardCharsets.UTF_8));
    }

    /** Percent-encodes raw bytes. */
    public static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte x : bytes) {
            int b = x & 0xff;
            if (plain(b)) {
                sb.append((char) b);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** Decodes {@code %XX} escapes to bytes; a broken escape is a {@link ProtocolException}. */
    public static byte[] decodeBytes(String text) throws ProtocolException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int hi = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new ProtocolException("broken %-escape at character " + (i + 1) + " of '" + text + "'");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x21 || c > 0x7e) {
                throw new ProtocolException("unescaped character 0x" + Integer.toHexString(c) + " in value");
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /**
     * Decodes a value to text. Bytes that are not valid UTF-8 are replaced by U+FFFD; {@link #isUtf8} tells a
     * caller that wants to log the fact.
     */
    public static String decode(String text) throws ProtocolException {
        return new String(decodeBytes(text), StandardCharsets.UTF_8);
    }

    /** True when the bytes are well-formed UTF-8. */
    public static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
