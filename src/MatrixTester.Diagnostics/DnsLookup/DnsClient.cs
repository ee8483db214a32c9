using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MatrixTester.Diagnostics.DnsLookup;

/// <summary>
/// A small, strict stub resolver: asks the configured servers in order, follows CNAMEs, caches nothing.
/// Every failure comes back as a <see cref="DnsAnswer"/>; only the caller's cancellation throws.
/// </summary>
public sealed class DnsClient : IDnsResolver
{
    /// <summary>Aliases followed before we call it a loop; resolvers use similar limits (BIND: 16, Unbound: 11).</summary>
    public const int MaxCnameHops = 8;

    /// <summary>The <see cref="DnsAnswer.Rcode"/> when no response was received at all.</summary>
    public const int NoRcode = -1;

    private readonly IPEndPoint[] servers;
    private readonly TimeSpan timeout;
    private readonly TimeProvider time;

    /// <param name="nameServers">Asked in order; the next one only after a timeout, network error or malformed response.</param>
    /// <param name="timeout">The budget for one <see cref="QueryAsync"/> call, all servers, retries and CNAME hops included.</param>
    public DnsClient(IEnumerable<IPEndPoint> nameServers, TimeSpan timeout, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(nameServers);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        servers = [.. nameServers];
        this.timeout = timeout;
        time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    public IReadOnlyList<IPEndPoint> NameServers => servers;

    public TimeSpan Timeout => timeout;

    /// <summary>Builds the client from options: <c>NameServers</c> if set, else /etc/resolv.conf; never a public resolver.</summary>
    /// <exception cref="FormatException">A <c>NameServers</c> entry is not valid (reported at startup, not per query).</exception>
    public static DnsClient Create(DiagnosisOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        var servers = NameServerList.Resolve(options.NameServers, NameServerList.ReadSystemResolvConf);
        return new DnsClient(servers, options.DnsTimeout, timeProvider);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid DNS name (a caller bug, not a DNS failure).</exception>
    public async Task<DnsAnswer> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = time.GetTimestamp();
        var queryName = DnsNames.Normalize(name);
        DnsNames.SplitLabels(queryName); // throws ArgumentException for a name no server could be asked about
        var chain = new List<string>();
        DnsAnswer Answer(DnsOutcome outcome, int rcode, IReadOnlyList<DnsRecord> records, IPEndPoint? server, string? error) =>
            new(queryName, type, outcome, rcode, records, [.. chain], server?.ToString(), time.GetElapsedTime(start), error);

        if (servers.Length == 0)
        {
            return Answer(DnsOutcome.NoNameServers, NoRcode, [], null,
                "no DNS name server is configured: set Diagnosis:NameServers or list one in /etc/resolv.conf");
        }

        var current = queryName;
        var seen = new HashSet<string> { queryName };
        while (true)
        {
            var (result, server) = await AskServersAsync(current, type, start, cancellationToken);
            if (result.Response is not { } response)
            {
                return Answer(result.Outcome, NoRcode, [], server, result.Error);
            }

            // Follow the chain inside this response (RFC 1034 section 3.6.2): each alias's target owns the next record.
            var followedHere = false;
            while (type != DnsRecordType.CNAME && response.Answers.OfType<CnameRecord>().FirstOrDefault(c => c.Name == current) is { } alias)
            {
                if (!seen.Add(alias.Target))
                {
                    return Answer(DnsOutcome.CnameLoop, response.Rcode, [], server,
                        $"CNAME loop: {string.Join(" -> ", [queryName, .. chain, alias.Target])}");
                }
                chain.Add(alias.Target);
                if (chain.Count > MaxCnameHops)
                {
                    return Answer(DnsOutcome.CnameLoop, response.Rcode, [], server,
                        $"the CNAME chain from {queryName} is longer than {MaxCnameHops} aliases");
                }
                current = alias.Target;
                followedHere = true;
            }

            var outcome = MapRcode(response.Rcode);
            if (outcome != DnsOutcome.NoError)
            {
                return Answer(outcome, response.Rcode, [], server, $"{server} answered {RcodeName(response.Rcode)} for {current} {type}");
            }
            var records = response.Answers.Where(r => r.Name == current && IsOfType(r, type)).ToArray();
            if (records.Length > 0 || !followedHere)
            {
                return Answer(DnsOutcome.NoError, response.Rcode, records, server, null);
            }
            // The chain left the server's data (an out-of-zone target): ask for the final target ourselves.
        }
    }

    public static DnsOutcome MapRcode(int rcode) => rcode switch
    {
        0 => DnsOutcome.NoError,
        2 => DnsOutcome.ServFail,
        3 => DnsOutcome.NxDomain,
        5 => DnsOutcome.Refused,
        _ => DnsOutcome.OtherRcode,
    };

    /// <summary>RCODE mnemonics, RFC 1035 section 4.1.1 and RFC 6895 section 2.3.</summary>
    public static string RcodeName(int rcode) => rcode switch
    {
        1 => "FORMERR",
        2 => "SERVFAIL (the server could not get an answer, often a DNSSEC or upstream failure)",
        3 => "NXDOMAIN (the name does not exist)",
        4 => "NOTIMP",
        5 => "REFUSED (the server will not answer this query for us)",
        _ => $"RCODE {rcode}",
    };

    /// <summary>"2 s", "1.5 s" or "300 ms", for error messages.</summary>
    public static string Describe(TimeSpan span) => span >= TimeSpan.FromSeconds(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.###} s")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Round(span.TotalMilliseconds)} ms");

    private async Task<(DnsExchangeResult Result, IPEndPoint Server)> AskServersAsync(
        string name, DnsRecordType type, long start, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        DnsExchangeResult? last = null;
        for (var i = 0; i < servers.Length; i++)
        {
            var remaining = timeout - time.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                errors.Add($"the {Describe(timeout)} DNS time budget ran out before {servers[i]} was asked");
                last ??= new DnsExchangeResult(null, DnsOutcome.Timeout, null, false);
                break;
            }
            // Later servers must still get a chance: split what is left evenly among those not yet asked.
            var slice = remaining / (servers.Length - i);
            var exchange = new DnsExchange(servers[i], name, type);
            using var attemptTimeout = new CancellationTokenSource(slice, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token);
            DnsExchangeResult result;
            try
            {
                result = await exchange.RunAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result = exchange.TimedOut(slice);
            }
            if (result.Response is not null)
            {
                return (result, servers[i]);
            }
            errors.Add(result.Error ?? DnsStatus.Describe(result.Outcome, -1));
            last = result;
        }
        return (last! with { Error = string.Join("; ", errors) }, servers[^1]);
    }

    private static bool IsOfType(DnsRecord record, DnsRecordType type) => (record, type) switch
    {
        (AddressRecord a, DnsRecordType.A) => a.Address.AddressFamily == AddressFamily.InterNetwork,
        (AddressRecord a, DnsRecordType.AAAA) => a.Address.AddressFamily == AddressFamily.InterNetworkV6,
        (CnameRecord, DnsRecordType.CNAME) => true,
        (SrvRecord, DnsRecordType.SRV) => true,
        _ => false,
    };
}
