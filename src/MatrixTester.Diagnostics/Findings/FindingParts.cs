namespace MatrixTester.Diagnostics.Findings;

/// <summary>
/// Which verdict a finding belongs to. A report answers separate questions, and a finding counts only for its own:
/// a client file that fails never makes federation "broken", and neither the two-way check nor a calls or login
/// problem ever changes the federation verdict.
/// </summary>
public enum ReportPart
{
    /// <summary>Other servers reaching this one: discovery, DNS, TLS, the version endpoint, the signing keys.</summary>
    Federation,

    /// <summary>What Matrix clients use: the client well-known, its base_url and the client API, the support file.</summary>
    Clients,

    /// <summary>This server reaching us and accepting our signed request (its own verdict).</summary>
    TwoWay,

    /// <summary>Calls (MatrixRTC): the call transports, the authorization service, the SFU, the call token check.</summary>
    Calls,

    /// <summary>How clients log in: the OAuth 2.0 / OIDC issuer, or the classic login API.</summary>
    Login,

    /// <summary>The test itself: an input that is not a server name, the time limit, a failure of the tester.</summary>
    Run,
}

/// <summary>
/// The one table that files finding ids under a verdict, by id prefix. Everything not listed is about federation.
/// A new verdict adds its prefix here and nothing else needs to know the ids.
/// </summary>
public static class FindingParts
{
    private static readonly (string Prefix, ReportPart Part)[] Table =
    [
        ("client.", ReportPart.Clients),
        ("support.", ReportPart.Clients),
        ("twoway.", ReportPart.TwoWay),
        ("rtc.", ReportPart.Calls),
        ("auth.", ReportPart.Login),
        ("diagnosis.", ReportPart.Run),
        ("server_name.invalid", ReportPart.Run),
    ];

    public static ReportPart Of(string findingId)
    {
        ArgumentNullException.ThrowIfNull(findingId);
        foreach (var (prefix, part) in Table)
        {
            if (findingId.StartsWith(prefix, StringComparison.Ordinal))
            {
                return part;
            }
        }
        return ReportPart.Federation;
    }

    public static ReportPart PartOf(this Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return Of(finding.Id);
    }

    /// <summary>The findings of one part, in their report order.</summary>
    public static IEnumerable<Finding> InPart(this IEnumerable<Finding> findings, ReportPart part) => findings.Where(f => f.PartOf() == part);
}
