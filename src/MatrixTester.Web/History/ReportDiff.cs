using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MatrixTester.Diagnostics.Discovery;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Diagnostics.Tls;

namespace MatrixTester.Web.History;

/// <summary>
/// One difference between two reports of the same server name. <see cref="Description"/> is a plain one-line
/// sentence for pages, mails and webhooks; the typed fields are for code (alert rules, the diff page). Serialized
/// with a <c>kind</c> discriminator, so a webhook's <c>changes[]</c> stays readable without our types.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(VerdictChange), "verdict")]
[JsonDerivedType(typeof(ClientsChange), "clients")]
[JsonDerivedType(typeof(CallsChange), "calls")]
[JsonDerivedType(typeof(LoginChange), "login")]
[JsonDerivedType(typeof(DelegationChange), "delegation")]
[JsonDerivedType(typeof(AddressesChange), "addresses")]
[JsonDerivedType(typeof(CertificateChange), "certificate")]
[JsonDerivedType(typeof(KeysChange), "keys")]
[JsonDerivedType(typeof(FindingGone), "finding_gone")]
[JsonDerivedType(typeof(FindingAdded), "finding_added")]
public abstract record ReportChange
{
    public abstract string Description { get; }
}

/// <summary>The federation verdict changed (works, works with warnings, broken, incomplete), as the reading decides it.</summary>
public sealed record VerdictChange(FederationState Before, FederationState After, string Summary) : ReportChange
{
    /// <summary>True when federation is now broken and was not known to be before.</summary>
    public bool BrokeFederation => Before != FederationState.Broken && After == FederationState.Broken;

    /// <summary>True when federation works again (with or without warnings) after it was broken.</summary>
    public bool RestoredFederation => Before == FederationState.Broken && After is FederationState.Works or FederationState.WorksWithWarnings;

    /// <summary>
    /// With the one-line summary kept with the newer result; that line is English, so another language leaves it out
    /// (the page or mail says the verdict in its own words beside it).
    /// </summary>
    public override string Description => ReportDiff.IsEnglish
        ? SiteText.Format("change.verdict", VerdictWords.Word(Before), VerdictWords.Word(After), Summary)
        : SiteText.Format("change.verdict.short", VerdictWords.Word(Before), VerdictWords.Word(After));
}

/// <summary>The clients verdict changed (its own verdict: it never changes the federation one).</summary>
public sealed record ClientsChange(ClientsState Before, ClientsState After) : ReportChange
{
    public override string Description =>
        SiteText.Format("change.clients", VerdictWords.Clients(Before), VerdictWords.Clients(After));
}

/// <summary>Which part of server discovery a <see cref="DelegationChange"/> is about.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DelegationPart>))]
public enum DelegationPart
{
    /// <summary>The <c>m.server</c> of <c>/.well-known/matrix/server</c> (or why there is none).</summary>
    WellKnown,
    /// <summary>The SRV records used (<c>_matrix-fed._tcp</c> or the deprecated <c>_matrix._tcp</c>).</summary>
    Srv,
    /// <summary>The hosts and ports other servers connect to, with the spec step that chose them.</summary>
    Endpoints,
}

/// <summary>A part of discovery answers differently; <see cref="Before"/>/<see cref="After"/> are display text.</summary>
public sealed record DelegationChange(DelegationPart Part, string Before, string After) : ReportChange
{
    public override string Description => Part switch
    {
        DelegationPart.WellKnown => SiteText.Format("change.wellknown", Before, After),
        DelegationPart.Srv => SiteText.Format("change.srv", Before, After),
        _ => SiteText.Format("change.endpoints", After, Before),
    };
}

/// <summary>Addresses ("ip:port") other servers would connect to that appeared or went away.</summary>
public sealed record AddressesChange(IReadOnlyList<string> Added, IReadOnlyList<string> Removed) : ReportChange
{
    public override string Description => (Added.Count, Removed.Count) switch
    {
        (> 0, > 0) => SiteText.Format("change.addresses", string.Join(", ", Added), string.Join(", ", Removed)),
        (> 0, _) => SiteText.Format(Added.Count == 1 ? "change.addresses.new.one" : "change.addresses.new.other", string.Join(", ", Added)),
        _ => SiteText.Format(Removed.Count == 1 ? "change.addresses.gone.one" : "change.addresses.gone.other", string.Join(", ", Removed)),
    };
}

/// <summary>The leaf certificate at one address was replaced (different SHA-256 fingerprint).</summary>
public sealed record CertificateChange(string Address, CertificateSummary Before, CertificateSummary After) : ReportChange
{
    public bool IssuerChanged => Before.Issuer != After.Issuer;

    public bool ExpiryChanged => Before.NotAfter != After.NotAfter;

    public override string Description
    {
        get
        {
            var issuer = IssuerChanged ? SiteText.Format("change.cert.issuer", Before.IssuerCommonName, After.IssuerCommonName) : SiteText.Format("change.cert.same_issuer", After.IssuerCommonName);
            var expiry = ExpiryChanged ? SiteText.Format("change.cert.expiry", ReportDiff.Day(Before.NotAfter), ReportDiff.Day(After.NotAfter)) : SiteText.Format("change.cert.same_expiry", ReportDiff.Day(After.NotAfter));
            return SiteText.Format("change.cert", Address, issuer, expiry, ReportDiff.Short(After.Sha256Hex));
        }
    }
}

/// <summary>Signing key ids (over every address) that appeared or went away: a key rotation.</summary>
public sealed record KeysChange(IReadOnlyList<string> Added, IReadOnlyList<string> Removed) : ReportChange
{
    public override string Description => (Added.Count, Removed.Count) switch
    {
        (> 0, > 0) => SiteText.Format("change.keys", string.Join(", ", Added), string.Join(", ", Removed)),
        (> 0, _) => SiteText.Format(Added.Count == 1 ? "change.keys.new.one" : "change.keys.new.other", string.Join(", ", Added)),
        _ => SiteText.Format(Removed.Count == 1 ? "change.keys.gone.one" : "change.keys.gone.other", string.Join(", ", Removed)),
    };
}

/// <summary>A finding (by id and subject) that the newer report has and the older one had not.</summary>
public sealed record FindingAdded(Finding Finding) : ReportChange
{
    public override string Description =>
        SiteText.Format(Finding.Subject is null ? "change.finding.new" : "change.finding.new.at", ReportDiff.Words(Finding.Severity), Finding.Subject, Finding.Words().Summary, Finding.Id);
}

/// <summary>A finding (by id and subject) the older report had and the newer one has not: fixed or no longer seen.</summary>
public sealed record FindingGone(Finding Finding) : ReportChange
{
    public override string Description =>
        SiteText.Format(Finding.Subject is null ? "change.finding.gone" : "change.finding.gone.at", ReportDiff.Words(Finding.Severity), Finding.Subject, Finding.Words().Summary, Finding.Id);
}

/// <summary>
/// Compares two reports of one server name, older first. Pure: no clock, no I/O. Findings are matched by id and
/// subject (address or host), not by wording, so "expires in 13 days" becoming "in 12 days" is no change.
/// </summary>
public static class ReportDiff
{
    /// <summary>Every change from <paramref name="before"/> to <paramref name="after"/>, most important first.</summary>
    public static IReadOnlyList<ReportChange> Compare(DiagnosisReport before, DiagnosisReport after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<ReportChange>();
        var (old, now) = (ReportReading.Of(before), ReportReading.Of(after));
        if (old.Federation.State != now.Federation.State)
        {
            changes.Add(new VerdictChange(old.Federation.State, now.Federation.State, VerdictWords.Summary(now)));
        }
        if (old.Clients.State != now.Clients.State)
        {
            changes.Add(new ClientsChange(old.Clients.State, now.Clients.State));
        }
        changes.AddRange(CallsAndLoginChanges.Compare(old, now));
        changes.AddRange(Delegation(before.Discovery, after.Discovery));
        var (added, removed) = SetDiff(Addresses(before), Addresses(after));
        if (added.Count + removed.Count > 0)
        {
            changes.Add(new AddressesChange(added, removed));
        }
        changes.AddRange(Certificates(before, after));
        // A failed key fetch is reported by its findings; counting it as "every key removed" would be noise.
        if (KeyIds(before) is { Count: > 0 } oldKeys && KeyIds(after) is { Count: > 0 } newKeys)
        {
            var (keysAdded, keysRemoved) = SetDiff(oldKeys, newKeys);
            if (keysAdded.Count + keysRemoved.Count > 0)
            {
                changes.Add(new KeysChange(keysAdded, keysRemoved));
            }
        }
        var oldFindings = before.Findings.DistinctBy(FindingKey).ToDictionary(FindingKey);
        var newFindings = after.Findings.DistinctBy(FindingKey).ToDictionary(FindingKey);
        changes.AddRange(oldFindings.Where(f => !newFindings.ContainsKey(f.Key)).Select(f => new FindingGone(f.Value)));
        changes.AddRange(newFindings.Where(f => !oldFindings.ContainsKey(f.Key)).Select(f => new FindingAdded(f.Value)));
        return changes;
    }

    private static IEnumerable<ReportChange> Delegation(DiscoveryResult? before, DiscoveryResult? after)
    {
        if (before is null || after is null)
        {
            yield break; // an invalid input or a deadline before discovery: nothing comparable
        }
        if (WellKnownText(before.WellKnown) is var oldWk && WellKnownText(after.WellKnown) is var newWk && oldWk != newWk)
        {
            yield return new DelegationChange(DelegationPart.WellKnown, oldWk, newWk);
        }
        if (SrvText(before.Srv) is var oldSrv && SrvText(after.Srv) is var newSrv && oldSrv != newSrv)
        {
            yield return new DelegationChange(DelegationPart.Srv, oldSrv, newSrv);
        }
        if (EndpointsText(before) is var oldEp && EndpointsText(after) is var newEp && oldEp != newEp)
        {
            yield return new DelegationChange(DelegationPart.Endpoints, oldEp, newEp);
        }
    }

    private static IEnumerable<ReportChange> Certificates(DiagnosisReport before, DiagnosisReport after)
    {
        var old = Leaves(before);
        foreach (var (address, leaf) in Leaves(after))
        {
            if (old.TryGetValue(address, out var previous) && previous.Sha256Hex != leaf.Sha256Hex)
            {
                yield return new CertificateChange(address, previous, leaf);
            }
        }
    }

    private static Dictionary<string, CertificateSummary> Leaves(DiagnosisReport report) => report.Connections
        .Where(c => c.Tls?.Certificates.Certificates.Count > 0)
        .DistinctBy(c => c.Endpoint.Key)
        .ToDictionary(c => c.Endpoint.Key, c => c.Tls!.Certificates.Certificates[0], StringComparer.Ordinal);

    private static SortedSet<string> Addresses(DiagnosisReport report) =>
        new(report.Discovery?.Endpoints.Select(e => e.Key) ?? [], StringComparer.Ordinal);

    private static SortedSet<string> KeyIds(DiagnosisReport report) =>
        new(report.Connections.SelectMany(c => c.Keys?.VerifyKeys.Keys ?? []), StringComparer.Ordinal);

    private static (IReadOnlyList<string> Added, IReadOnlyList<string> Removed) SetDiff(SortedSet<string> before, SortedSet<string> after) =>
        ([.. after.Except(before)], [.. before.Except(after)]);

    private static (string Id, string Subject) FindingKey(Finding f) => (f.Id, f.Subject ?? "");

    private static string WellKnownText(WellKnownResult wellKnown) => wellKnown.Outcome switch
    {
        WellKnownOutcome.Delegated => wellKnown.MServer ?? "?",
        WellKnownOutcome.NotFound => "no delegation (404)",
        WellKnownOutcome.NotApplicable => "not used",
        var outcome => $"not usable ({OutcomeWords.WellKnown(outcome)})",
    };

    private static string SrvText(SrvResult? srv) => srv switch
    {
        null => "not looked up",
        { Used: SrvSource.MatrixFed or SrvSource.Deprecated } => string.Join(", ", srv.Records.Select(r => $"{r.Target.TrimEnd('.')}:{r.Port}")),
        { Used: SrvSource.NotOffered } => "service not offered (\".\")",
        { Failed: true } => $"lookup failed ({OutcomeWords.Dns(srv.MatrixFed.Outcome)})",
        _ => "none",
    };

    private static string EndpointsText(DiscoveryResult discovery)
    {
        var hosts = discovery.Endpoints.Select(e => $"{e.HostHeader} (step {e.StepNumber})").Distinct(StringComparer.Ordinal).ToArray();
        return hosts.Length == 0 ? "no address" : string.Join(", ", hosts);
    }

    internal static string Words(Severity severity) => SiteText.Get(severity switch
    {
        Severity.Error => "change.severity.error",
        Severity.Warning => "change.severity.warning",
        _ => "change.severity.note",
    });

    internal static bool IsEnglish => CultureInfo.CurrentUICulture.Name is "" or MatrixTester.Diagnostics.Languages.English;

    internal static string Short(string hex) => hex.Length > 16 ? $"{hex[..16]}…" : hex;

    internal static string Day(DateTimeOffset when) => when.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
