using System.Text.Json;
using MatrixTester.Diagnostics.Keys;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>One <c>ConnectionReports</c> entry in the reference tester's shape (README, "The compatible report").</summary>
internal static class GoConnectionReport
{
    public static void Write(Utf8JsonWriter w, ConnectionReport connection)
    {
        var tls = connection.Tls!;
        var keys = connection.Keys!;
        var validCertificates = tls.Certificates.ValidCertificates;
        var allChecksOk = keys.AllChecksOK && validCertificates;
        w.WriteStartObject();
        WriteCertificates(w, tls);
        WriteCipher(w, tls);
        WriteChecks(w, keys, validCertificates, allChecksOk);
        WriteErrors(w, tls);
        WriteVerifyKeys(w, keys, allChecksOk);
        // The reference tester always writes an empty Info object.
        w.WriteStartObject("Info");
        w.WriteEndObject();
        WriteRawKeys(w, keys);
        w.WriteEndObject();
    }

    /// <summary><c>Certificates</c>: the chain as sent, each with its names (null, not [], when it has none).</summary>
    private static void WriteCertificates(Utf8JsonWriter w, TlsReport tls)
    {
        w.WriteStartArray("Certificates");
        foreach (var certificate in tls.Certificates.Certificates)
        {
            w.WriteStartObject();
            w.WriteString("SubjectCommonName", certificate.SubjectCommonName);
            w.WriteString("IssuerCommonName", certificate.IssuerCommonName);
            w.WriteString("SHA256Fingerprint", certificate.Sha256Fingerprint);
            if (certificate.DnsNames.Count == 0)
            {
                w.WriteNull("DNSNames");
            }
            else
            {
                w.WriteStartArray("DNSNames");
                foreach (var name in certificate.DnsNames)
                {
                    w.WriteStringValue(name);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteCipher(Utf8JsonWriter w, TlsReport tls)
    {
        w.WriteStartObject("Cipher");
        w.WriteString("Version", tls.Version);
        w.WriteString("CipherSuite", tls.CipherSuite);
        w.WriteEndObject();
    }

    /// <summary><c>Checks</c>: the key checks, ed25519 checks per key id, and the certificate verdict.</summary>
    private static void WriteChecks(Utf8JsonWriter w, ServerKeyResult keys, bool validCertificates, bool allChecksOk)
    {
        w.WriteStartObject("Checks");
        w.WriteBoolean("AllChecksOK", allChecksOk);
        w.WriteBoolean("MatchingServerName", keys.MatchingServerName);
        w.WriteBoolean("FutureValidUntilTS", keys.FutureValidUntilTS);
        w.WriteBoolean("HasEd25519Key", keys.HasEd25519Key);
        if (keys.AllEd25519ChecksOK is { } all)
        {
            w.WriteBoolean("AllEd25519ChecksOK", all);
        }
        else
        {
            w.WriteNull("AllEd25519ChecksOK");
        }
        w.WriteStartObject("Ed25519Checks");
        foreach (var (id, check) in keys.Ed25519Checks.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(id);
            w.WriteBoolean("ValidEd25519", check.ValidEd25519);
            w.WriteBoolean("MatchingSignature", check.MatchingSignature);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteBoolean("ValidCertificates", validCertificates);
        w.WriteEndObject();
    }

    private static void WriteErrors(Utf8JsonWriter w, TlsReport tls)
    {
        w.WriteStartArray("Errors");
        foreach (var error in tls.Certificates.Errors)
        {
            w.WriteStartObject();
            w.WriteString("Message", error);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary><c>Ed25519VerifyKeys</c> only when every check passed, as the reference tester does; null otherwise.</summary>
    private static void WriteVerifyKeys(Utf8JsonWriter w, ServerKeyResult keys, bool allChecksOk)
    {
        if (allChecksOk && keys.Ed25519VerifyKeys is { } verifyKeys)
        {
            w.WriteStartObject("Ed25519VerifyKeys");
            foreach (var (id, key) in verifyKeys.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                w.WriteString(id, key);
            }
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("Ed25519VerifyKeys");
        }
    }

    /// <summary>
    /// <c>Keys</c>: the key response as received, or null. It is parsed again from the report's raw text, which is
    /// whole for every real server (a cut text is not JSON, and then it is null, as for a body that did not parse).
    /// </summary>
    private static void WriteRawKeys(Utf8JsonWriter w, ServerKeyResult keys)
    {
        w.WritePropertyName("Keys");
        if (keys.IsKeyResponse && Parse(keys.RawBody) is { } document)
        {
            using (document)
            {
                document.RootElement.WriteTo(w);
            }
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private static JsonDocument? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = CanonicalJson.DefaultMaxDepth });
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
