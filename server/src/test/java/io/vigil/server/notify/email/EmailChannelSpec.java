package io.vigil.server.notify.email;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.DeliveryResult;
import io.vigil.server.notify.LogCapture;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;

import static io.vigil.server.notify.ChannelFixture.encrypted;
import static io.vigil.server.notify.ChannelFixture.firing;
import static io.vigil.server.notify.ChannelFixture.parse;
import static io.vigil.server.notify.ChannelFixture.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Email through a real SMTP server (GreenMail) on loopback, with authentication. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmailChannelSpec {

    private static final String PASSWORD = "smtp-spec-pa55word-q7";

    private final GreenMail smtp = start();
    private final EmailChannelType type = new EmailChannelType(Duration.ofSeconds(2));

    private static GreenMail start() {
        GreenMail g = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.getManagers().getUserManager().setAuthRequired(true);
        g.setUser("vigil@example.com", "vigil", PASSWORD);
        g.start();
        return g;
    }

    @AfterAll
    void stop() {
        smtp.stop();
    }

    private Channel channel(String password) {
        return parse(type, """
                host: 127.0.0.1
                port: %d
                security: none
                username: vigil
                password: %s
                from: Vigil <vigil@example.com>
                to: [oncall@example.com, ops@example.com]
                """.formatted(smtp.getSmtp().getPort(), encrypted(password)));
    }

    @Test
    void sendsPlainTextAndHtmlToEveryRecipient() throws Exception {
        DeliveryResult r = channel(PASSWORD).send(11, firing());

        assertEquals(DeliveryResult.Outcome.DELIVERED, r.outcome(), r.error());
        assertTrue(smtp.waitForIncomingEmail(5000, 2));
        MimeMessage m = smtp.getReceivedMessages()[0];
        assertEquals("[HIGH] disk <full> on db-1 & co", m.getSubject());
        assertEquals("11", m.getHeader("X-Vigil-Notification")[0]);
        assertEquals(2, smtp.getReceivedMessages().length, "one delivery per recipient");
        assertEquals("oncall@example.com, ops@example.com",
                jakarta.mail.internet.InternetAddress.toString(m.getRecipients(jakarta.mail.Message.RecipientType.TO)));
        assertEquals("Vigil <vigil@example.com>", m.getFrom()[0].toString());
        Multipart parts = (Multipart) m.getContent();
        assertEquals(2, parts.getCount());
        assertTrue(parts.getBodyPart(0).isMimeType("text/plain"));
        assertTrue(parts.getBodyPart(0).getContent().toString().contains("93% used on /var"));
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        assertTrue(parts.getBodyPart(1).getContent().toString().contains("<b>[HIGH] disk &lt;full&gt; on db-1 &amp; co</b>"));
    }

    @Test
    void aWrongPasswordFailsWithoutRetryAndThePasswordAppearsNowhere() {
        try (LogCapture logs = new LogCapture()) {
            Channel c = channel("not-the-" + PASSWORD);
            DeliveryResult r = c.send(12, firing());
            org.slf4j.LoggerFactory.getLogger(EmailChannelSpec.class).warn("channel {} failed: {}", c, r.error());

            assertEquals(DeliveryResult.Outcome.FAILED, r.outcome());
            assertEquals("SMTP authentication as vigil failed at 127.0.0.1:" + smtp.getSmtp().getPort()
                    + ": check username and password", r.error());
            assertFalse(logs.text().contains(PASSWORD), logs.text());
            assertFalse(c.toString().contains(PASSWORD));
        }
    }

    @Test
    void anUnreachableServerIsRetried() {
        Channel c = parse(type, "host: 127.0.0.1\nport: 9\nsecurity: none\nfrom: vigil@example.com\nto: a@example.com\n");
        DeliveryResult r = c.send(13, firing());
        assertEquals(DeliveryResult.Outcome.RETRY, r.outcome());
        assertTrue(r.error().startsWith("cannot connect to SMTP server 127.0.0.1:9"), r.error());
    }

    @Test
    void aPlainTextPasswordIsRefusedWithoutQuotingIt() {
        List<String> p = problems(type, "host: h\nusername: u\npassword: hunter2-plain\nfrom: a@example.com\nto: b@example.com\n");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("routing.yml:3 password: a secret must not be written in plain text"), p.get(0));
        assertFalse(p.get(0).contains("hunter2"));
    }
}
