package com.phishnet.store.reputation;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

import com.phishnet.store.platform.web.ApiException;

/** What a reputation verdict is about, and how each kind of subject is normalised before lookup. */
public enum SubjectType {
    SENDER(Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}")),
    DOMAIN(Pattern.compile("(?=.{1,253}$)([a-z0-9-]{1,63}\\.)+[a-z]{2,63}")),
    URL(Pattern.compile("https?://\\S{1,2040}")),
    IP(Pattern.compile("([0-9]{1,3}(\\.[0-9]{1,3}){3})|([0-9a-f:]{2,39})"));

    private final Pattern valid;

    SubjectType(Pattern valid) {
        this.valid = valid;
    }

    /** The canonical form used as the key in MongoDB and Redis; 400 when it is not a valid subject. */
    public String normalize(String raw) {
        String subject = raw.trim();
        subject = switch (this) {
            case SENDER, DOMAIN, IP -> subject.toLowerCase(Locale.ROOT);
            case URL -> lowerSchemeAndHost(subject);
        };
        if (!valid.matcher(subject).matches()) {
            throw new ApiException.InvalidField("subject", "is not a valid " + name().toLowerCase(Locale.ROOT));
        }
        return subject;
    }

    private static String lowerSchemeAndHost(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return url;
            }
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority().toLowerCase(Locale.ROOT)
                    + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        catch (IllegalArgumentException malformed) {
            throw new ApiException.InvalidField("subject", "is not a valid url");
        }
    }
}
