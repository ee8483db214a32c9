using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;

namespace MatrixTester.Diagnostics.Reports;

/// <summary>
/// Our report in the reference federation tester's format (README, "The compatible report"): Go's field names and order,
/// sorted map keys, null vs [] vs {} exactly where Go's encoding/json puts them, unpadded base64 fingerprints,
/// CacheExpiresAt in seconds, valid_until_ts in milliseconds, two-space indentation, and &lt; &gt; &amp; escaped as
/// \u003c \u003e \u0026. The fields carry what MatrixTester actually did (spec discovery, well-known on every
/// address); richer data stays in the v2 report.
/// </summary>
public static class GoReportWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 256,
    };

    public static string Write(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            if (GoError(report) is { } error)
            {
                w.WriteString("Error", error);
            }
            WriteWellKnown(w, report);
            WriteDns(w, report.Discovery);
            WriteConnections(w, report);
            WriteVersion(w, report);
            w.WriteBoolean("FederationOK", report.Verdict.FederationOk);
            w.WriteEndObject();
        }
        // Go's encoder escapes these HTML-significant characters (and the JS line separators) inside strings; they
        // cannot occur outside strings in JSON, so replacing them in the text is exact.
        return Encoding.UTF8.GetString(buffer.ToArray())
            .Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal)
            .Replace("&", "\\u0026", StringComparison.Ordinal)
            .Replace("\u2028", "\\u2028", StringComparison.Ordinal)
            .Replace("\u2029", "\\u2029", StringComparison.Ordinal);
    }

    private static string? GoError(DiagnosisReport report)
    {
        if (report.ServerName is null)
        {
            return $"Invalid server name '{report.Input}'";
        }
        var wellKnown = report.Discovery?.WellKnown;
        return wellKnown?.Attempts.FirstOrDefault(VerdictRules.GoRejects) is { } invalid
            ? $"Invalid server name '{invalid.MServer}' in .well-known result"
            : null;
    }

    private static void WriteWellKnown(Utf8JsonWriter w, DiagnosisReport report)
    {
        var wellKnown = report.Discovery?.WellKnown;
        w.WriteStartObject("WellKnownResult");
        w.WriteString("m.server", wellKnown?.MServer is { Length: > 0 } m ? m : "");
        var result = wellKnown?.Outcome switch
        {
            null => report.ServerName is null ? null : "Not checked",
            WellKnownOutcome.Delegated => null,
            WellKnownOutcome.NotFound => "No .well-known found",
            WellKnownOutcome.NotApplicable => "Not used: the server name is an IP address or has an explicit port",
            _ => wellKnown.Attempts.FirstOrDefault(a => a.Outcome == wellKnown.Outcome)?.Problem ?? wellKnown.Outcome.ToString(),
        };
        if (result is not null)
        {
            w.WriteString("result", result);
        }
        // Go fills CacheExpiresAt only from Expires/max-age headers; 0 otherwise.
        var fromHeaders = wellKnown is { IsDelegated: true, CacheExpiresAt: { } at } &&
            wellKnown.Attempts.Any(a => a.Requests.Count > 0 && (a.Requests[^1].Header("cache-control") is not null || a.Requests[^1].Header("expires") is not null));
        w.WriteNumber("CacheExpiresAt", fromHeaders ? wellKnown!.CacheExpiresAt!.Value.ToUnixTimeSeconds() : 0);
        w.WriteEndObject();
    }

    private static void WriteDns(Utf8JsonWriter w, DiscoveryResult? discovery)
    {
        w.WriteStartObject("DNSResult");
        var srv = discovery?.Srv;
        var skipped = discovery is not null && srv is null;
        w.WriteBoolean("SRVSkipped", skipped);
        var used = srv?.Used switch { SrvSource.MatrixFed => srv.MatrixFed, SrvSource.Deprecated => srv.Deprecated, SrvSource.NotOffered => srv.MatrixFed.SrvRecords.Any() ? srv.MatrixFed : srv.Deprecated, _ => null };
        w.WriteString("SRVCName", used is null ? "" : Fqdn(used.CanonicalName));
        var records = used?.SrvRecords.ToList() ?? [];
        if (records.Count == 0)
        {
            w.WriteNull("SRVRecords");
        }
        else
        {
            w.WriteStartArray("SRVRecords");
            foreach (var record in records.OrderBy(r => r.Priority).ThenByDescending(r => r.Weight))
            {
                w.WriteStartObject();
                w.WriteString("Target", Fqdn(record.Target));
                w.WriteNumber("Port", record.Port);
                w.WriteNumber("Priority", record.Priority);
                w.WriteNumber("Weight", record.Weight);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (srv is not null && records.Count == 0)
        {
            w.WriteStartObject("SRVError");
            w.WriteString("Message", SrvError(srv.MatrixFed));
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("SRVError");
        }
        WriteHosts(w, discovery);
        if (discovery is null)
        {
            w.WriteNull("Addrs");
        }
        else
        {
            w.WriteStartArray("Addrs");
            foreach (var endpoint in discovery.Endpoints)
            {
                w.WriteStringValue(endpoint.Key);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static string SrvError(DnsAnswer answer) => answer.Outcome switch
    {
        DnsOutcome.NxDomain => $"lookup {answer.QueryName}: no such host",
        DnsOutcome.NoError => $"lookup {answer.QueryName}: no SRV records",
        _ => $"lookup {answer.QueryName}: {answer.Outcome}{(answer.Error is { } e ? $" ({e})" : "")}",
    };

    /// <summary>Hosts: SRV targets keep a trailing dot, other hosts have none (as the reference tester prints them).</summary>
    private static void WriteHosts(Utf8JsonWriter w, DiscoveryResult? discovery)
    {
        if (discovery is null)
        {
            w.WriteNull("Hosts");
            return;
        }
        var hosts = new SortedDictionary<string, (DnsAnswer? V6, DnsAnswer? V4)>(StringComparer.Ordinal);
        var literals = new Dictionary<string, string>(StringComparer.Ordinal);
        if (discovery.Srv is { Targets.Count: > 0 } srv)
        {
            foreach (var target in srv.Targets)
            {
                hosts[Fqdn(target.Record.Target)] = (target.AddressesV6, target.AddressesV4);
                if (target.Literal is { } literal)
                {
                    // Go's resolver returns an IP literal as itself.
                    literals[Fqdn(target.Record.Target)] = literal.ToString();
                }
            }
        }
        else if (discovery.Endpoints.Count > 0 && !discovery.Endpoints[0].IsIpLiteralStep())
        {
            var host = discovery.Endpoints[0].TlsName;
            var v6 = discovery.AddressLookups.LastOrDefault(a => a.Type == DnsRecordType.AAAA && string.Equals(a.QueryName, host, StringComparison.OrdinalIgnoreCase));
            var v4 = discovery.AddressLookups.LastOrDefault(a => a.Type == DnsRecordType.A && string.Equals(a.QueryName, host, StringComparison.OrdinalIgnoreCase));
            hosts[host] = (v6, v4);
        }
        w.WriteStartObject("Hosts");
        foreach (var (name, (v6, v4)) in hosts)
        {
            w.WriteStartObject(name);
            var canonical = v4?.CanonicalName ?? v6?.CanonicalName ?? name.TrimEnd('.');
            w.WriteString("CName", Fqdn(canonical));
            var addresses = literals.TryGetValue(name, out var literalAddress)
                ? [literalAddress]
                : (v6?.Addresses ?? []).Concat(v4?.Addresses ?? []).Select(a => a.ToString()).ToList();
            if (addresses.Count == 0)
            {
                w.WriteNull("Addrs");
                w.WriteStartObject("Error");
                w.WriteString("Message", $"lookup {name.TrimEnd('.')}: {(v4?.Outcome == DnsOutcome.NxDomain ? "no such host" : v4?.Outcome.ToString() ?? "no addresses")}");
                w.WriteEndObject();
            }
            else
            {
                w.WriteStartArray("Addrs");
                addresses.ForEach(w.WriteStringValue);
                w.WriteEndArray();
                w.WriteNull("Error");
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static bool IsIpLiteralStep(this ResolvedEndpoint endpoint) =>
        endpoint.Step is DiscoveryStep.IpLiteral or DiscoveryStep.WellKnownIpLiteral;

    private static string Fqdn(string name) => name.EndsWith('.') ? name : name + ".";

    private static void WriteConnections(Utf8JsonWriter w, DiagnosisReport report)
    {
        var reports = new SortedDictionary<string, ConnectionReport>(StringComparer.Ordinal);
        var errors = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var connection in report.Connections)
        {
            if (connection.ConnectionError is null && connection.Keys is { IsKeyResponse: true } && connection.Tls is not null)
            {
                reports[connection.Endpoint.Key] = connection;
            }
            else
            {
                errors[connection.Endpoint.Key] = connection.ConnectionError ?? "The key response could not be read";
            }
        }
        foreach (var endpoint in report.Discovery?.Endpoints ?? [])
        {
            if (!reports.ContainsKey(endpoint.Key) && !errors.ContainsKey(endpoint.Key))
            {
                errors[endpoint.Key] = "Not checked: the diagnosis reached its deadline first";
            }
        }
        w.WriteStartObject("ConnectionReports");
        foreach (var (key, connection) in reports)
        {
            w.WritePropertyName(key);
            GoConnectionReport.Write(w, connection);
        }
        w.WriteEndObject();
        w.WriteStartObject("ConnectionErrors");
        foreach (var (key, message) in errors)
        {
            w.WriteStartObject(key);
            w.WriteString("Message", message);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteVersion(Utf8JsonWriter w, DiagnosisReport report)
    {
        w.WriteStartObject("Version");
        var versions = report.Connections.Select(c => c.Version).OfType<VersionReport>().ToList();
        var ok = versions.FirstOrDefault(v => v.Error is null && (v.Name is not null || v.Version is not null));
        if (ok is not null)
        {
            if (ok.Name is { Length: > 0 })
            {
                w.WriteString("name", ok.Name);
            }
            if (ok.Version is { Length: > 0 })
            {
                w.WriteString("version", ok.Version);
            }
        }
        else if (versions.FirstOrDefault(v => v.Error is not null) is { } failed)
        {
            w.WriteString("error", failed.Error);
        }
        w.WriteEndObject();
    }
}
