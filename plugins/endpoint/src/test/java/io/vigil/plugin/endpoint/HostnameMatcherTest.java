package io.vigil.plugin.endpoint;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.plugin.endpoint.tls.HostnameMatcher;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HostnameMatcherTest {

    private static TestCertificates.Issued ca;

    @BeforeAll
    static void makeCa() throws Exception {
        ca = TestCertificates.ca("Names CA");
    }

    private static X509Certificate cert(String... names) throws Exception {
        return TestCertificates.server(ca, 30, names).cert();
    }

    @Test
    void aWildcardCoversExactlyOneLeftmostLabel() throws Exception {
        X509Certificate c = cert("dns:*.shop.example");
        assertTrue(HostnameMatcher.matches(c, "api.shop.example"));
        assertTrue(HostnameMatcher.matches(c, "API.Shop.Example."), "case and a trailing dot do not matter");
        assertFalse(HostnameMatcher.matches(c, "shop.example"));
        assertFalse(HostnameMatcher.matches(c, "a.api.shop.example"));
    }

    @Test
    void aWildcardOverATopLevelDomainCoversNothing() throws Exception {
        assertFalse(HostnameMatcher.matches(cert("dns:*.example"), "shop.example"));
    }

    @Test
    void anAddressIsMatchedAgainstIpEntriesOnlyInAnySpelling() throws Exception {
        X509Certificate c = cert("dns:127.0.0.1", "ip:::1");
        assertFalse(HostnameMatcher.matches(c, "127.0.0.1"), "a DNS entry spelling an address does not count");
        assertTrue(HostnameMatcher.matches(c, "0:0:0:0:0:0:0:1"));
    }

    @Test
    void theCommonNameIsNotUsedWhenThereAreNoAlternativeNames() throws Exception {
        X509Certificate c = cert(); // CN=server, no SAN
        assertFalse(HostnameMatcher.matches(c, "server"));
    }
}
