using System.Globalization;
using MatrixTester.Diagnostics.Findings;
using MatrixTester.Diagnostics.Reading;
using MatrixTester.Diagnostics.Reading.Words;
using MatrixTester.Diagnostics.Reports;
using MatrixTester.Web.Diagnoses;
using MatrixTester.Web.History;
using MatrixTester.Web.Storage;
using Microsoft.Extensions.Options;

namespace MatrixTester.Web.Watches;

/// <summary>
/// One line of "what changed": the diff's kind (verdict, finding_added, ...) or <c>expiry</c>, in English (webhooks
/// carry it); <see cref="Words"/> writes it again in the language of the mail being written.
/// </summary>
public sealed record AlertChange(string Kind, string Description)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public Func<string>? Words { get; init; }

    /// <summary>The line in the current UI culture.</summary>
    public string Text => Words?.Invoke() ?? Description;
}

/// <summary>What watchers of a server name are told after a check that changed something, with the check's reading.</summary>
public sealed record Alert(
    string ServerName,
    FederationState Verdict,
    FederationState? Previous,
    IReadOnlyList<AlertChange> Changes,
    ReportReading Reading,
    string Permalink);

/// <summary>
/// Alerts on change, not on every check: federation broke or came back, a new error appeared, the calls or login
/// verdict changed, or a certificate entered the next expiry bucket (30, 14, 7, 3, 1 days; once per certificate and
/// bucket). The comparison is
/// <see cref="ReportDiff"/> between the previous complete check's stored result and this one. A check that did not
/// finish (the time limit) is no news: it alerts only on expiry and does not become the result the next check is
/// compared with, since what it did not reach is not checked, not changed.
/// </summary>
public sealed class AlertRules(WatchStore watches, IResultStore results, StoredReports reports, IOptions<MonitoringOptions> options, TimeProvider time)
{
    private static readonly int[] Buckets = [1, 3, 7, 14, 30];

    public async Task<Alert?> EvaluateAsync(string serverName, FinishedDiagnosis finished, CancellationToken cancellationToken)
    {
        var state = await watches.StateAsync(serverName, cancellationToken);
        var reading = ReportReading.Of(finished.Report);
        var complete = reading.Federation.State != FederationState.Incomplete;
        var previousId = state?.LastResultId ?? (await results.RecentAsync(serverName, 5, cancellationToken))
            .FirstOrDefault(r => r.Id != finished.Result.Id && FederationStates.FromStored(r.Verdict) != FederationState.Incomplete)?.Id;
        var diff = !complete || previousId is null || previousId == finished.Result.Id ? [] : await DiffAsync(previousId, finished.Report, cancellationToken);
        var (expiry, buckets) = Expiry(finished.Report, state?.AlertedExpiryBuckets ?? []);
        await watches.SaveStateAsync(new MonitorState(serverName, complete ? finished.Result.Id : previousId, buckets), cancellationToken);

        var verdict = diff.OfType<VerdictChange>().FirstOrDefault();
        var triggered = verdict is { BrokeFederation: true } or { RestoredFederation: true }
            || diff.OfType<FindingAdded>().Any(f => f.Finding.Severity == Severity.Error)
            || diff.Any(c => c is CallsChange or LoginChange)
            || expiry.Count > 0;
        if (!triggered)
        {
            return null;
        }
        var changes = diff.Select(c => new AlertChange(Kind(c), c.Description) { Words = () => c.Description }).Concat(expiry).ToArray();
        return new Alert(serverName, reading.Federation.State, verdict?.Before ?? reading.Federation.State, changes, reading,
            options.Value.Link($"/r/{finished.Result.Id}"));
    }

    /// <summary>
    /// The changes since the previous stored report, read within the report ceiling. One that cannot be parsed (longer
    /// than the ceiling: stored before there was one) still has its verdict column, so federation breaking or coming
    /// back is never missed.
    /// </summary>
    private async Task<IReadOnlyList<ReportChange>> DiffAsync(string previousId, DiagnosisReport current, CancellationToken cancellationToken)
    {
        if (await reports.GetAsync(previousId, cancellationToken) is not { } stored)
        {
            return [];
        }
        if (!stored.TooLarge && ReportJson.Read(stored.Json) is { } previous)
        {
            return ReportDiff.Compare(previous, current);
        }
        var before = FederationStates.FromStored(stored.Verdict);
        var now = ReportReading.Of(current);
        return before != now.Federation.State ? [new VerdictChange(before, now.Federation.State, VerdictWords.Summary(now))] : [];
    }

    /// <summary>
    /// Certificates that entered a bucket not alerted yet, and the buckets to remember: those of certificates still
    /// served, so a renewed certificate starts afresh and the state does not grow.
    /// </summary>
    internal (IReadOnlyList<AlertChange> Notices, IReadOnlyList<string> Buckets) Expiry(DiagnosisReport report, IReadOnlyList<string> alerted)
    {
        var now = time.GetUtcNow();
        var notices = new List<AlertChange>();
        var keep = new SortedSet<string>(StringComparer.Ordinal);
        var leaves = report.Connections.Where(c => c.Tls?.Certificates.Certificates.Count > 0)
            .Select(c => (Address: c.Endpoint.Key, Leaf: c.Tls!.Certificates.Certificates[0])).DistinctBy(c => c.Leaf.Sha256Hex);
        foreach (var (address, leaf) in leaves)
        {
            keep.UnionWith(alerted.Where(b => b.StartsWith(leaf.Sha256Hex + ":", StringComparison.Ordinal)));
            var left = leaf.NotAfter - now;
            if (left <= TimeSpan.Zero || Buckets.FirstOrDefault(b => left <= TimeSpan.FromDays(b)) is not (> 0 and var bucket))
            {
                continue; // already expired (an error finding says so) or more than 30 days left
            }
            if (keep.Add($"{leaf.Sha256Hex}:{bucket}"))
            {
                var days = (int)Math.Ceiling(left.TotalDays);
                var (where, until, issuer) = (address, leaf.NotAfter.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), leaf.IssuerCommonName);
                string Words() => SiteText.Format(days == 1 ? "change.expiry.one" : "change.expiry.other", where, days, until, issuer);
                notices.Add(new AlertChange("expiry", MatrixTester.Diagnostics.Languages.In(MatrixTester.Diagnostics.Languages.English, Words)) { Words = Words });
            }
        }
        return (notices, [.. keep]);
    }

    private static string Kind(ReportChange change) => change switch
    {
        VerdictChange => "verdict",
        ClientsChange => "clients",
        CallsChange => "calls",
        LoginChange => "login",
        DelegationChange => "delegation",
        AddressesChange => "addresses",
        CertificateChange => "certificate",
        KeysChange => "keys",
        FindingGone => "finding_gone",
        FindingAdded => "finding_added",
        _ => "other",
    };
}
