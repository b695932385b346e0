package io.distill.worker.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.distill.testinfra.Fixtures;
import io.distill.worker.formats.ocr.Ocr;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** E-mail as real mail comes: each class of message that once failed or came out wrong (issue 15). */
@Timeout(30)
class MailReadersTest {
    private static final FormatRegistry FORMATS = FormatRegistry.standalone(new Ocr(null));

    private static DocumentModel email(String message) throws Exception {
        return email(message.getBytes(StandardCharsets.UTF_8));
    }

    private static DocumentModel email(byte[] message) throws Exception {
        return FORMATS.forFormat("email").extract(Source.ofBytes(message), DefaultLimits.INSTANCE);
    }

    @Test
    void aMalformedAddressDoesNotLoseTheMessage() throws Exception {
        DocumentModel mail = email("""
                From: Mario Rossi <user@server_mail.it>
                To: ,desk@example.com
                Subject: Ordine 4711
                Date: Mon, 30 Nov 2026 09:00:00 +0100

                Confermiamo l'ordine 4711.
                """);
        assertEquals("Mario Rossi <user@server_mail.it>", mail.metadata().get("from"));
        assertTrue(mail.text().contains("Confermiamo l'ordine 4711."), mail.text());
    }

    @Test
    void aMultipartWithoutItsStartBoundaryKeepsItsText() throws Exception {
        DocumentModel mail = email("""
                From: a@example.com
                Subject: broken
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                The body the sender's client forgot to open with a boundary.
                --b1--
                """);
        assertTrue(mail.text().contains("forgot to open with a boundary"), mail.text());
    }

    @Test
    void utf8HeadersRawAndEncodedAreText() throws Exception {
        DocumentModel raw = email("""
                From: Jörg Müller <jörg@bücher.example>
                To: info@example.com
                Subject: Änderung der Lieferadresse – dringend

                Bitte ändern.
                """);
        assertEquals("Änderung der Lieferadresse – dringend", raw.metadata().get("subject"));
        assertEquals("Jörg Müller <jörg@bücher.example>", raw.metadata().get("from"));
        DocumentModel encoded = email("""
                From: =?UTF-8?B?w4lsb2lzZSBEdXBvbnQ=?= <e.dupont@example.fr>
                To: =?ISO-8859-1?Q?Ren=E9?= <rene@example.fr>
                Subject: =?UTF-8?Q?R=C3=A9union_pr=C3=A9vue?= demain

                Texte.
                """);
        assertEquals("Éloise Dupont <e.dupont@example.fr>", encoded.metadata().get("from"));
        assertEquals("René <rene@example.fr>", encoded.metadata().get("to"));
        assertEquals("Réunion prévue demain", encoded.metadata().get("subject"));
    }

    @Test
    void aLegacyEightBitSubjectIsReadInItsCharset() throws Exception {
        byte[] message = "From: a@example.com\r\nSubject: Prüfbericht für März\r\n\r\nText.\r\n"
                .getBytes(java.nio.charset.Charset.forName("windows-1252"));
        assertEquals("Prüfbericht für März", email(message).metadata().get("subject"));
    }

    @Test
    void aPdfAttachmentIsReadAsPartOfTheMessage() throws Exception {
        String pdf = Base64.getMimeEncoder().encodeToString(Fixtures.textPdf());
        DocumentModel mail = email("""
                From: broker@example.com
                Subject: Research note
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/plain; charset=utf-8

                See the attached note.
                --b1
                Content-Type: application/pdf; name="note.pdf"
                Content-Disposition: attachment; filename="note.pdf"
                Content-Transfer-Encoding: base64

                %s
                --b1--
                """.formatted(pdf));
        List<?> attachments = (List<?>) mail.metadata().get("attachments");
        assertEquals("pdf", ((Map<?, ?>) attachments.get(0)).get("format"), attachments.toString());
        assertTrue(
                mail.sections().stream().anyMatch(s -> s.kind().equals("attachment:page")),
                mail.sections().toString());
        String pdfText = FORMATS.forFormat("pdf")
                .extract(Source.ofBytes(Fixtures.textPdf()), DefaultLimits.INSTANCE)
                .text();
        assertTrue(mail.text().contains(pdfText.lines().findFirst().orElseThrow()), mail.text());
    }

    @Test
    void attachmentsAreBoundedInNumberAndDepth() throws Exception {
        StringBuilder message = new StringBuilder("From: a@example.com\nSubject: many\nMIME-Version: 1.0\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\n\n");
        for (int i = 0; i < DefaultLimits.INSTANCE.maxAttachments() + 5; i++) {
            message.append("--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"n")
                    .append(i)
                    .append(".txt\"\n\nnote ")
                    .append(i)
                    .append('\n');
        }
        message.append("--b--\n");
        List<?> attachments = (List<?>) email(message.toString()).metadata().get("attachments");
        assertEquals(DefaultLimits.INSTANCE.maxAttachments() + 5, attachments.size());
        assertEquals(
                5,
                attachments.stream()
                        .filter(a -> ((Map<?, ?>) a).containsKey("skipped"))
                        .count(),
                attachments.toString());

        String nested = "From: a@example.com\nSubject: level 0\n\nbottom\n";
        for (int level = 1; level <= DefaultLimits.INSTANCE.maxNestingDepth() + 2; level++) {
            nested = "From: a@example.com\nSubject: level " + level
                    + "\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"l" + level
                    + "\"\n\n--l" + level
                    + "\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=\"m" + level
                    + ".eml\"\n\n"
                    + nested + "\n--l" + level + "--\n";
        }
        DocumentModel deep = email(nested);
        assertTrue(deep.text().contains("level " + (DefaultLimits.INSTANCE.maxNestingDepth() + 1)), deep.text());
        assertTrue(!deep.text().contains("bottom"), "nesting stops at the depth limit: " + deep.text());
    }
}
