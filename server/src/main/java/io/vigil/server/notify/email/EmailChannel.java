package io.vigil.server.notify.email;

import io.vigil.server.crypto.Secret;
import io.vigil.server.notify.Channel;
import io.vigil.server.notify.DeliveryResult;
import io.vigil.server.notify.MessageText;
import io.vigil.server.notify.NotificationMessage;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Sends one multipart/alternative message (text/plain and text/html) per notification through
 * SMTP with Jakarta Mail (Eclipse Angus). SMTP replies 4xx and connection failures retry; 5xx
 * replies (unknown recipient, message refused) and failed authentication do not.
 */
final class EmailChannel implements Channel {

    static final String NOTIFICATION_HEADER = "X-Vigil-Notification";

    private final String name;
    private final EmailConfig config;
    private final Session session;

    EmailChannel(String name, EmailConfig config, Duration timeout) {
        this.name = name;
        this.config = config;
        Properties p = new Properties();
        String protocol = config.security().equals("tls") ? "smtps" : "smtp";
        p.setProperty("mail.transport.protocol", protocol);
        p.setProperty("mail." + protocol + ".host", config.host());
        p.setProperty("mail." + protocol + ".port", Integer.toString(config.port()));
        p.setProperty("mail." + protocol + ".auth", Boolean.toString(config.username() != null));
        p.setProperty("mail." + protocol + ".connectiontimeout", Long.toString(timeout.toMillis()));
        p.setProperty("mail." + protocol + ".timeout", Long.toString(timeout.toMillis()));
        p.setProperty("mail." + protocol + ".writetimeout", Long.toString(timeout.toMillis()));
        if (config.security().equals("starttls")) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
        }
        if (config.security().equals("tls")) {
            p.setProperty("mail.smtps.ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(p);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return EmailChannelType.TYPE;
    }

    @Override
    public DeliveryResult send(long notificationId, NotificationMessage message) {
        String where = config.host() + ":" + config.port();
        try {
            MimeMessage mail = new MimeMessage(session);
            mail.setFrom(config.from());
            mail.setRecipients(Message.RecipientType.TO, config.to().toArray(new jakarta.mail.Address[0]));
            mail.setSubject(message.title(), StandardCharsets.UTF_8.name());
            mail.setSentDate(new Date());
            mail.setHeader(NOTIFICATION_HEADER, Long.toString(notificationId));
            MimeBodyPart text = new MimeBodyPart();
            text.setText(MessageText.plain(message), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText("<html><body>" + MessageText.html(message) + "</body></html>", StandardCharsets.UTF_8.name(),
                    "html");
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            mail.setContent(alternative);
            mail.saveChanges();
            try (Transport transport = session.getTransport()) {
                if (config.username() != null) {
                    transport.connect(config.username(), config.password() == null ? null : config.password().reveal());
                } else {
                    transport.connect();
                }
                transport.sendMessage(mail, mail.getAllRecipients());
            }
            return DeliveryResult.delivered(null);
        } catch (AuthenticationFailedException e) {
            return DeliveryResult.failed("SMTP authentication as " + config.username() + " failed at " + where
                    + ": check username and password", null);
        } catch (SMTPAddressFailedException e) {
            return byReplyCode(e.getReturnCode(), "SMTP server " + where + " refused recipient " + e.getAddress()
                    + ": " + clean(e.getMessage()));
        } catch (SMTPSendFailedException e) {
            return byReplyCode(e.getReturnCode(), "SMTP server " + where + " refused the message: " + clean(e.getMessage()));
        } catch (SendFailedException e) {
            if (e.getNextException() instanceof SMTPAddressFailedException a) {
                return byReplyCode(a.getReturnCode(), "SMTP server " + where + " refused recipient " + a.getAddress()
                        + ": " + clean(a.getMessage()));
            }
            return DeliveryResult.retry("SMTP send to " + where + " failed: " + clean(e.getMessage()), null, null);
        } catch (MailConnectException e) {
            return DeliveryResult.retry("cannot connect to SMTP server " + where + " ("
                    + (e.getCause() == null ? "?" : e.getCause().getClass().getSimpleName()) + ")", null, null);
        } catch (MessagingException e) {
            String cause = e.getCause() instanceof SocketTimeoutException ? " (timed out)" : "";
            return DeliveryResult.retry("SMTP error at " + where + cause + ": " + clean(e.getMessage()), null, null);
        } catch (RuntimeException e) {
            return DeliveryResult.retry("cannot build or send the email: " + e.getClass().getSimpleName(), null, null);
        }
    }

    private static DeliveryResult byReplyCode(int code, String error) {
        return code >= 400 && code < 500 ? DeliveryResult.retry(error, null, null) : DeliveryResult.failed(error, null);
    }

    private String clean(String message) {
        String m = message == null ? "" : message.strip().replaceAll("\\s+", " ");
        return Secret.redact(m.length() > 300 ? m.substring(0, 300) + "..." : m, secrets());
    }

    @Override
    public List<Secret> secrets() {
        List<Secret> s = new ArrayList<>();
        if (config.password() != null) {
            s.add(config.password());
        }
        return s;
    }

    @Override
    public String toString() {
        return "EmailChannel[" + name + " " + config.host() + ":" + config.port() + "]";
    }
}
