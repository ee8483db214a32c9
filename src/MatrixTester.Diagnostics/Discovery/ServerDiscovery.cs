using System.Net;
using System.Security.Cryptography.X509Certificates;
using MatrixTester.Diagnostics.DnsLookup;
using MatrixTester.Diagnostics.Federation;
using MatrixTester.Diagnostics.Findings;

namespace MatrixTester.Diagnostics.Discovery;

/// <summary>
/// The spec's "Resolving server names" algorithm (server-server API), step by step, streaming each result. Lookups
/// that a later step may need are started as soon as their inputs exist: for a plain host name the SRV and A/AAAA
/// lookups of the server name run alongside the well-known fetch, so a missing well-known costs no extra round trip.
/// Each step's result goes to the <see cref="DiscoveryObserver"/> as soon as it exists; the orchestrator streams it.
/// </summary>
internal static class ServerDiscovery
{
    public const int DefaultPort = 8448;

    /// <summary>How many of the endpoints over the limit a finding lists.</summary>
    private const int MaxListedEndpoints = 20;

    public static async Task<DiscoveryResult> RunAsync(DiagnosisContext context, Func<IReadOnlyList<X509Certificate2>, string, string?> validateCertificate,
        DiscoveryObserver observer, CancellationToken cancellationToken)
    {
        var name = context.ServerName;
        var findings = new List<Finding>();
        var lookups = new List<DnsAnswer>();
        var notApplicable = new WellKnownResult(WellKnownOutcome.NotApplicable, null, null, TimeSpan.Zero, null, [], []);

        // Steps 1 and 2: an IP literal or an explicit port; no well-known, no SRV.
        if (await DirectAsync(context, name, DiscoveryStep.IpLiteral, DiscoveryStep.ExplicitPort, "server name", lookups, findings, cancellationToken) is { } direct)
        {
            return Finish(context, name, notApplicable, null, lookups, direct, findings);
        }

        // Step 3, with steps 4–6 prepared in parallel.
        context.Progress($"Fetching /.well-known/matrix/server and looking up SRV and address records for {name.Host}");
        var hostAddressesTask = HostAddresses.ResolveAsync(context, name.Host, "addresses of the server name", cancellationToken);
        var srvTask = SrvStage.RunAsync(context, name.Host, "the server name", cancellationToken);
        _ = PreconnectFallbackAsync(context, srvTask, hostAddressesTask, name.Host, cancellationToken);
        var wellKnown = await WellKnownStage.RunAsync(context, hostAddressesTask, validateCertificate, cancellationToken);
        observer.WellKnown(wellKnown);
        findings.AddRange(wellKnown.Findings);
        var hostAddresses = await hostAddressesTask;
        lookups.AddRange([hostAddresses.V6, hostAddresses.V4]);

        if (wellKnown.Delegated is { } delegated)
        {
            return await ResolveDelegatedAsync(context, name, wellKnown, delegated, observer, lookups, findings, cancellationToken);
        }

        var apexFindings = hostAddresses.Findings.Where(f => wellKnown.Findings.All(w => w.Id != f.Id)).ToList();
        var srv = await srvTask;
        observer.Srv(srv);
        findings.AddRange(srv.Findings);
        if (srv.Used == SrvSource.NotOffered)
        {
            findings.AddRange(apexFindings);
            return Finish(context, name, wellKnown, srv, lookups, [], findings);
        }
        if (srv.Targets.Count > 0)
        {
            // Steps 4 and 5 never use the server name's own addresses, so their absence breaks nothing.
            findings.AddRange(ApexNotNeeded(name.Host, apexFindings));
            var step = srv.Used == SrvSource.MatrixFed ? DiscoveryStep.Srv : DiscoveryStep.DeprecatedSrv;
            return Finish(context, name, wellKnown, srv, lookups, SrvEndpoints(srv, name.Host, step), findings);
        }
        findings.AddRange(apexFindings);
        // Step 6.
        return Finish(context, name, wellKnown, srv, lookups,
            Endpoints(hostAddresses.Addresses, DefaultPort, name.Host, name.Host, DiscoveryStep.DefaultPort), findings);
    }

    private static async Task<DiscoveryResult> ResolveDelegatedAsync(DiagnosisContext context, ServerName name, WellKnownResult wellKnown,
        ServerName delegated, DiscoveryObserver observer, List<DnsAnswer> lookups, List<Finding> findings, CancellationToken cancellationToken)
    {
        // 3.1 and 3.2: delegated to an IP literal, or to a host with a port.
        if (await DirectAsync(context, delegated, DiscoveryStep.WellKnownIpLiteral, DiscoveryStep.WellKnownExplicitPort, "delegated host", lookups, findings, cancellationToken) is { } direct)
        {
            return Finish(context, name, wellKnown, null, lookups, direct, findings);
        }
        // 3.3–3.5: SRV of the delegated host, with its addresses looked up at the same time for 3.5.
        context.Progress($"Looking up SRV and address records for {delegated.Host}");
        var addressesTask = HostAddresses.ResolveAsync(context, delegated.Host, "addresses of the delegated host", cancellationToken);
        var srv = await SrvStage.RunAsync(context, delegated.Host, "the delegated host", cancellationToken);
        observer.Srv(srv);
        findings.AddRange(srv.Findings);
        if (srv.Used == SrvSource.NotOffered)
        {
            return Finish(context, name, wellKnown, srv, lookups, [], findings);
        }
        if (srv.Targets.Count > 0)
        {
            var step = srv.Used == SrvSource.MatrixFed ? DiscoveryStep.WellKnownSrv : DiscoveryStep.WellKnownDeprecatedSrv;
            return Finish(context, name, wellKnown, srv, lookups, SrvEndpoints(srv, delegated.Host, step), findings);
        }
        var delegatedAddresses = await addressesTask;
        findings.AddRange(delegatedAddresses.Findings);
        lookups.AddRange([delegatedAddresses.V6, delegatedAddresses.V4]);
        return Finish(context, name, wellKnown, srv, lookups,
            Endpoints(delegatedAddresses.Addresses, DefaultPort, delegated.Host, delegated.Host, DiscoveryStep.WellKnownDefaultPort), findings);
    }

    /// <summary>
    /// Steps 4 to 6 speculatively: where federation goes if .well-known fails is known as soon as the SRV answer is
    /// (the SRV targets, or without SRV records port 8448 of the server name's addresses), so connect there (TCP +
    /// TLS, no request) while the well-known fetch runs. Saves two round trips when there is no delegation, and when
    /// the server name's addresses drop packets the two connect timeouts (443, then 8448) run side by side instead of
    /// one after the other. When discovery picks something else the connections are closed unused; each address is
    /// checked by the address policy before it is dialled.
    /// </summary>
    private static async Task PreconnectFallbackAsync(DiagnosisContext context, Task<SrvResult> srvTask, Task<HostAddresses> hostAddressesTask, string host,
        CancellationToken cancellationToken)
    {
        try
        {
            var srv = await srvTask;
            var endpoints = srv switch
            {
                { Used: SrvSource.NotOffered } => [],
                { Targets.Count: > 0 } => SrvEndpoints(srv, host, DiscoveryStep.Srv),
                _ => Endpoints((await hostAddressesTask).Addresses, DefaultPort, host, host, DiscoveryStep.DefaultPort),
            };
            foreach (var endpoint in endpoints.Take(context.Options.MaxEndpoints))
            {
                context.Preconnect(endpoint.EndPoint, endpoint.TlsName, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The diagnosis ended first; nothing to speculate about.
        }
    }

    /// <summary>
    /// An IP literal is used as is (port 8448 unless given; the Host header and certificate name are the IP, with the
    /// port in the Host header if the name had one); a host with a port is resolved and used on that port with
    /// "host:port" as Host. Null when <paramref name="target"/> is neither, so SRV and the default port apply.
    /// </summary>
    private static async Task<List<ResolvedEndpoint>?> DirectAsync(DiagnosisContext context, ServerName target, DiscoveryStep literalStep,
        DiscoveryStep portStep, string role, List<DnsAnswer> lookups, List<Finding> findings, CancellationToken cancellationToken)
    {
        if (target.Address is { } ip)
        {
            return [new ResolvedEndpoint(ip, target.Port ?? DefaultPort, target.HostHeader, target.Host, literalStep)];
        }
        if (target.Port is not { } port)
        {
            return null;
        }
        context.Progress($"Looking up the addresses of {target.Host}");
        var addresses = await HostAddresses.ResolveAsync(context, target.Host, $"addresses of the {role}", cancellationToken);
        findings.AddRange(addresses.Findings);
        lookups.AddRange([addresses.V6, addresses.V4]);
        return Endpoints(addresses.Addresses, port, target.HostHeader, target.Host, portStep);
    }

    /// <summary>
    /// The server name's address errors (no A/AAAA, e.g. an apex with only MX and TXT records; a failed lookup) when
    /// SRV records carry federation: one informational finding instead, since peers never connect to the name itself.
    /// </summary>
    private static IEnumerable<Finding> ApexNotNeeded(string host, List<Finding> apexFindings)
    {
        var errors = apexFindings.Where(f => f.Severity == Severity.Error).ToList();
        foreach (var finding in apexFindings.Except(errors))
        {
            yield return finding;
        }
        if (errors.Count > 0)
        {
            yield return DnsFindings.ApexNotNeeded.Create($"{host} has no usable address of its own, which federation does not need here",
                $"{string.Join(" ", errors.Select(e => e.Detail))} Other servers find your homeserver through the SRV records below and never connect to {host} itself; only the .well-known files on {host} could not be fetched.", host);
        }
    }

    private static List<ResolvedEndpoint> Endpoints(IEnumerable<IPAddress> addresses, int port, string hostHeader, string tlsName, DiscoveryStep step) =>
        addresses.Select(a => new ResolvedEndpoint(a, port, hostHeader, tlsName, step)).ToList();

    /// <summary>SRV endpoints: Host header and certificate name stay the host that owns the record, never the target.</summary>
    private static List<ResolvedEndpoint> SrvEndpoints(SrvResult srv, string host, DiscoveryStep step) =>
        srv.Targets.SelectMany(t => t.Addresses.Select(a => new ResolvedEndpoint(a, t.Record.Port, host, host, step, t.Record.Target)))
            .DistinctBy(e => e.Key).ToList();

    private static DiscoveryResult Finish(DiagnosisContext context, ServerName name, WellKnownResult wellKnown, SrvResult? srv,
        List<DnsAnswer> lookups, List<ResolvedEndpoint> endpoints, List<Finding> findings)
    {
        if (endpoints.Count > context.Options.MaxEndpoints)
        {
            findings.Add(DiscoveryFindings.TooManyEndpoints.Create($"Discovery found {endpoints.Count} endpoints; the first {context.Options.MaxEndpoints} were checked",
                $"Not checked: {string.Join(", ", endpoints.Skip(context.Options.MaxEndpoints).Take(MaxListedEndpoints).Select(e => e.Key))}.", name.Text));
            endpoints = endpoints.Take(context.Options.MaxEndpoints).ToList();
        }
        foreach (var endpoint in endpoints)
        {
            var decision = context.Policy.Check(endpoint.Address);
            if (!decision.Allowed)
            {
                findings.Add(DnsFindings.AddressRefused.Create($"{endpoint.Key} is not a public address; the tester will not connect to it",
                    $"Discovery step {endpoint.StepNumber} led to {endpoint.Address}, which is in a non-public range: {decision.Range}. Other homeservers on the internet cannot reach it either.", endpoint.Key));
            }
        }
        if (endpoints.Count == 0 && findings.All(f => f.Severity != Severity.Error))
        {
            findings.Add(DiscoveryFindings.NoEndpoints.Create(Phrase.Of("discovery.no_endpoints.Summary", ("name", name)),
                Phrase.Of("discovery.no_endpoints.Detail", ("host", wellKnown.Delegated?.Host ?? name.Host)), name.Text));
        }
        else if (endpoints.Count == 0)
        {
            findings.Add(DiscoveryFindings.NoEndpoints.Create(Phrase.Of("discovery.no_endpoints.Summary", ("name", name)),
                new Phrase("discovery.no_endpoints.Detail.see_above"), name.Text));
        }
        return new DiscoveryResult(name, wellKnown, srv, lookups.Distinct().ToArray(), endpoints, findings.DistinctBy(f => (f.Id, f.Subject, f.Summary)).ToArray());
    }
}
