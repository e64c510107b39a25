package io.vigil.server.notify.telegram;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.Secret;
import io.vigil.server.crypto.SecretValues;

import java.net.URI;
import java.util.List;

/**
 * A Telegram chat, through a bot (Bot API {@code sendMessage}).
 *
 * <pre>
 * - name: oncall-telegram
 *   type: telegram
 *   bot_token: enc:v1:...         # from @BotFather: 123456:ABC-DEF...
 *   chat_id: "-1001234567890"     # a group, channel or user id, or @channelname
 *   api_url: https://api.telegram.org   # default; a Bot API server of your own also works
 * </pre>
 */
public record TelegramConfig(Secret botToken, String chatId, URI apiUrl) {

    static final List<String> KEYS = List.of("bot_token", "chat_id", "api_url");
    static final String DEFAULT_API = "https://api.telegram.org";

    static @Nullable TelegramConfig parse(ConfigNode node, SecretValues secrets) {
        Secret token = secrets.required(node.get("bot_token"));
        Object chat = node.get("chat_id").scalar();
        if (chat == null) {
            node.get("chat_id").problem("required: the chat's numeric id (\"-100...\") or @channelname");
        }
        String api = node.get("api_url").text();
        URI uri = null;
        try {
            uri = URI.create((api == null ? DEFAULT_API : api.strip()).replaceAll("/+$", ""));
            if (uri.getScheme() == null || uri.getHost() == null) {
                node.get("api_url").problem("expected an http(s) URL like " + DEFAULT_API);
                uri = null;
            }
        } catch (IllegalArgumentException e) {
            node.get("api_url").problem("not a URL: " + e.getMessage());
        }
        if (token == null || chat == null || uri == null) {
            return null;
        }
        return new TelegramConfig(token, chat.toString(), uri);
    }
}
