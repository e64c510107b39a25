package io.vigil.server.notify;

import io.micronaut.core.annotation.Nullable;
import io.vigil.server.configfile.ConfigNode;
import io.vigil.server.crypto.SecretValues;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The channels in force (from the routing file), by name, and the channel types that read them. */
@Singleton
public class ChannelCatalog {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final Map<String, ChannelType> types = new LinkedHashMap<>();
    private volatile Map<String, Channel> channels = Map.of();

    ChannelCatalog(List<ChannelType> types) {
        for (ChannelType t : types) {
            this.types.put(t.type(), t);
        }
    }

    /** Reads the {@code channels:} list; problems go on the nodes. */
    public Map<String, Channel> parse(ConfigNode list, SecretValues secrets) {
        Map<String, Channel> out = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (ConfigNode item : list.items()) {
            if (!item.isMap()) {
                item.problem("expected a channel: {name: ..., type: " + String.join("|", types.keySet()) + ", ...}");
                continue;
            }
            String name = item.get("name").requiredText();
            String type = item.get("type").requiredText();
            ChannelType t = type == null ? null : types.get(type);
            if (type != null && t == null) {
                item.get("type").problem("unknown channel type \"" + type + "\": expected one of "
                        + String.join(", ", types.keySet()));
            }
            List<String> keys = new ArrayList<>(List.of("name", "type"));
            if (t != null) {
                keys.addAll(t.keys());
                item.allowOnly(keys);
            }
            if (name == null) {
                continue;
            }
            if (!NAME.matcher(name).matches()) {
                item.get("name").problem("\"" + name + "\" is not a channel name: letters, digits, '.', '_' and '-'");
                continue;
            }
            Integer earlier = lines.putIfAbsent(name, item.line());
            if (earlier != null) {
                item.get("name").problem("channel \"" + name + "\" is already defined at line " + earlier);
                continue;
            }
            if (t != null) {
                Channel c = t.parse(name, item, secrets.forCaller("channel:" + name));
                if (c != null) {
                    out.put(name, c);
                }
            }
        }
        return out;
    }

    public void replace(Map<String, Channel> channels) {
        this.channels = Map.copyOf(channels);
    }

    public @Nullable Channel find(String name) {
        return channels.get(name);
    }

    public Map<String, Channel> all() {
        return channels;
    }
}
