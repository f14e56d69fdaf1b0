package io.gpucolo.admitd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RequestTest {
    private static final String SECRET = "0123456789abcdef0123";

    @Test
    void hostileFieldsSurviveTheRoundTrip() throws Exception {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("comment", "gpucolo:colocate share=30 \"quoted\" 'single' $(rm -rf /) `id`; a|b && c\nnext line\ttab %41");
        f.put("name", "é ünïcode ✓");
        Request r = new Request("train", f);
        Request back = Request.parse(r.encode(SECRET).getBytes(StandardCharsets.US_ASCII), SECRET);
        assertEquals(r, back);
        assertFalse(r.encode(SECRET).contains("\n"));
    }

    @Test
    void bytesThatAreNotUtf8ArriveReplacedAndAreDetectable() throws Exception {
        String line = Wire.VERSION + " " + SECRET + " train comment=gpucolo:colocate%20%FF%FE";
        Request r = Request.parse(line.getBytes(StandardCharsets.US_ASCII), SECRET);
        assertEquals("gpucolo:colocate \uFFFD\uFFFD", r.fields().get("comment"));
        assertFalse(Wire.isUtf8(Wire.decodeBytes("%FF%FE")));
        assertTrue(Wire.isUtf8(Wire.decodeBytes("%C3%A9")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GPUCOLO/2 0123456789abcdef0123 ping|unsupported protocol version 'GPUCOLO/2'",
            "GPUCOLO/1 wrongsecret ping|wrong secret",
            "GPUCOLO/1 0123456789abcdef0123 launch|unknown operation 'launch'",
            "GPUCOLO/1 0123456789abcdef0123 train a=1 a=2|field 'a' given twice",
            "GPUCOLO/1 0123456789abcdef0123 train novalue|is not key=value",
            "GPUCOLO/1 0123456789abcdef0123 train comment=%G1|broken %-escape",
            "GPUCOLO/1 0123456789abcdef0123|expected 'GPUCOLO/1 SECRET OP",
    })
    void malformedRequestsAreRefusedWithTheReason(String line, String expected) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> Request.parse(line.getBytes(StandardCharsets.US_ASCII), SECRET));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void rawControlBytesAndOversizeAreRefused() {
        byte[] raw = (Wire.VERSION + " " + SECRET + " train comment=a\u0001b").getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(assertThrows(ProtocolException.class, () -> Request.parse(raw, SECRET)).getMessage()
                .contains("byte 0x1 at column"));
        byte[] big = (Wire.VERSION + " " + SECRET + " train comment=" + "x".repeat(Wire.MAX_REQUEST_BYTES))
                .getBytes(StandardCharsets.US_ASCII);
        assertTrue(assertThrows(ProtocolException.class, () -> Request.parse(big, SECRET)).getMessage()
                .contains("exceeds 8192 bytes"));
    }

    @Test
    void replyRoundTripsAndRejectsForeignLines() throws Exception {
        Reply r = new Reply("admit", Map.of("tres", "gres:mps:g2:30", "msg", "placed on vm:g2 \"ok\""));
        assertEquals(r, Reply.parse(r.encode()));
        assertThrows(ProtocolException.class, () -> Reply.parse("HTTP/1.1 200 OK"));
        assertThrows(ProtocolException.class, () -> Reply.parse("GPUCOLO/1 maybe"));
    }
}
