using System.Text.Json;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Client;

/// <summary>Pure validation of the client and support discovery documents (client-server API, "Well-known URIs").</summary>
public static class ClientDocuments
{
    /// <summary>Support contacts kept in a report (a real file lists one to three).</summary>
    public const int MaxContacts = 16;

    /// <param name="RtcFoci">The transports of <c>org.matrix.msc4143.rtc_foci</c> (older clients' call discovery), if any.</param>
    public sealed record ClientFile(string? BaseUrl, Uri? BaseUri, string? IdentityServer, IReadOnlyList<Finding> Findings)
    {
        public IReadOnlyList<RtcTransport> RtcFoci { get; init; } = [];
    }

    public static ClientFile ParseClient(ReadOnlySpan<byte> body, string subject)
    {
        var findings = new List<Finding>();
        if (!TryParse(body, out var document, out var problem, out var loneSurrogates))
        {
            findings.Add(ClientFindings.Invalid.Create("/.well-known/matrix/client is not a JSON object", problem, subject));
            return new ClientFile(null, null, null, findings);
        }
        if (loneSurrogates > 0)
        {
            findings.Add(ResponseTextFindings.For(ResponseTextFindings.Client, "/.well-known/matrix/client", loneSurrogates, subject));
        }
        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("m.homeserver", out var homeserver) || homeserver.ValueKind != JsonValueKind.Object ||
                !homeserver.TryGetProperty("base_url", out var baseUrlElement) || baseUrlElement.ValueKind != JsonValueKind.String)
            {
                findings.Add(ClientFindings.Invalid.Create("/.well-known/matrix/client has no m.homeserver.base_url string",
                    root.TryGetProperty("m.server", out _) ? "It contains m.server: the server file seems to be served at the client path." : "m.homeserver.base_url is required.", subject));
                return new ClientFile(null, null, null, findings);
            }
            var baseUrl = baseUrlElement.GetString()!;
            Uri? uri = null;
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                findings.Add(ClientFindings.BaseUrlInvalid.Create($"base_url \"{Truncate(baseUrl)}\" is not an http(s) URL", "Clients stop with an error (FAIL_ERROR) when base_url does not parse.", subject));
                uri = null;
            }
            string? identity = null;
            if (root.TryGetProperty("m.identity_server", out var identityServer))
            {
                if (identityServer.ValueKind == JsonValueKind.Object && identityServer.TryGetProperty("base_url", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    identity = ReportText.Cap(id.GetString()!, ReportText.Url);
                }
                else
                {
                    findings.Add(ClientFindings.IdentityServerInvalid.Create("m.identity_server is present without a base_url string", "Clients treat this as failed discovery (FAIL_PROMPT).", subject));
                }
            }
            var foci = root.TryGetProperty(RtcDocuments.WellKnownFociKey, out var fociElement) ? RtcDocuments.ParseTransports(fociElement, RtcTransportSource.WellKnown) : [];
            return new ClientFile(ReportText.Cap(baseUrl, ReportText.Url), uri, identity, findings) { RtcFoci = foci };
        }
    }

    public sealed record SupportFile(IReadOnlyList<SupportContact> Contacts, string? SupportPage, IReadOnlyList<Finding> Findings);

    /// <summary><c>/.well-known/matrix/support</c> (Matrix 1.10): contacts and/or support_page, each contact with a role and a way to reach it.</summary>
    public static SupportFile ParseSupport(ReadOnlySpan<byte> body, string subject)
    {
        if (!TryParse(body, out var document, out var problem, out var loneSurrogates))
        {
            return new SupportFile([], null, [ClientFindings.SupportInvalid.Create("/.well-known/matrix/support is not a JSON object", problem, subject)]);
        }
        using (document)
        {
            var root = document.RootElement;
            var problems = new List<string>();
            var contacts = new List<SupportContact>();
            if (root.TryGetProperty("contacts", out var contactArray))
            {
                if (contactArray.ValueKind != JsonValueKind.Array)
                {
                    problems.Add("\"contacts\" is not an array");
                }
                else
                {
                    var index = 0;
                    foreach (var contact in contactArray.EnumerateArray().Take(MaxContacts))
                    {
                        var role = String(contact, "role");
                        var matrixId = String(contact, "matrix_id");
                        var email = String(contact, "email_address");
                        if (role is null)
                        {
                            problems.Add($"contact {index} has no role");
                        }
                        else if (role is not ("m.role.admin" or "m.role.security") && !role.Contains('.', StringComparison.Ordinal))
                        {
                            problems.Add($"contact {index} has role \"{Truncate(role)}\", which is neither m.role.admin, m.role.security nor namespaced");
                        }
                        if (matrixId is null && email is null)
                        {
                            problems.Add($"contact {index} has neither matrix_id nor email_address");
                        }
                        if (matrixId is not null && !matrixId.StartsWith('@'))
                        {
                            problems.Add($"contact {index}'s matrix_id \"{Truncate(matrixId)}\" does not start with @");
                        }
                        if (email is not null && !email.Contains('@', StringComparison.Ordinal))
                        {
                            problems.Add($"contact {index}'s email_address \"{Truncate(email)}\" is not an email address");
                        }
                        contacts.Add(new SupportContact(Truncate(role ?? ""), matrixId is null ? null : Truncate(matrixId), email is null ? null : Truncate(email)));
                        index++;
                    }
                }
            }
            var page = String(root, "support_page");
            if (page is not null && !Uri.TryCreate(page, UriKind.Absolute, out _))
            {
                problems.Add($"support_page \"{Truncate(page)}\" is not a URL");
            }
            if (contacts.Count == 0 && page is null)
            {
                problems.Add("it needs at least one contact or a support_page");
            }
            var findings = new List<Finding>();
            if (problems.Count > 0)
            {
                findings.Add(ClientFindings.SupportInvalid.Create("/.well-known/matrix/support does not follow the spec", string.Join("; ", problems.Take(10)) + ".", subject));
            }
            if (loneSurrogates > 0)
            {
                findings.Add(ResponseTextFindings.For(ResponseTextFindings.Support, "/.well-known/matrix/support", loneSurrogates, subject));
            }
            return new SupportFile(contacts, ReportText.CapOrNull(page, ReportText.Url), findings);
        }
    }

    internal static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static bool TryParse(ReadOnlySpan<byte> body, out JsonDocument document, out string problem) =>
        TryParse(body, out document, out problem, out _);

    /// <summary>Parses an object; <paramref name="loneSurrogates"/> counts the half-character escapes read as U+FFFD.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> body, out JsonDocument document, out string problem, out int loneSurrogates)
    {
        document = null!;
        problem = "";
        var (json, replaced) = LoneSurrogates.Replace(body);
        loneSurrogates = replaced;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"The body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object.";
                document.Dispose();
                return false;
            }
            return true;
        }
        catch (JsonException ex)
        {
            problem = $"The body is not valid JSON: {ex.Message}";
            return false;
        }
    }

    private static string Truncate(string text) => ReportText.Cap(text, ReportText.Name);
}
