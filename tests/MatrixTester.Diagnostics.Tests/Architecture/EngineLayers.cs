namespace MatrixTester.Diagnostics.Tests.Architecture;

/// <summary>
/// The engine's folders and the only arrows allowed between them (src/MatrixTester.Diagnostics/README.md, "Shape"). Bottom to top: the
/// shared values in the root namespace (<see cref="ServerName"/>, <see cref="DiagnosisOptions"/>) and
/// <c>Findings/</c> depend on nothing; the per-step folders depend only downward; <c>Reports/</c> (report records,
/// builder, Go writer) sits on the steps; <c>Orchestration/</c> (DiagnosisService and the stages it runs per address
/// and for the client files) is on top and alone emits events; <c>Reading/</c> (what a report says, for every surface
/// that presents one) sits beside it on the report model. A new arrow must be added here on purpose, and the
/// table must stay acyclic (a test checks both).
/// </summary>
internal static class EngineLayers
{
    public const string RootNamespace = "MatrixTester.Diagnostics";

    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        [LayerGraph.Root] = [],
        // Findings read their words (titles, fixes, the phrases they were made of) from the engine's resources.
        ["Findings"] = [LayerGraph.Root],
        ["DnsLookup"] = [LayerGraph.Root],
        ["Tls"] = [LayerGraph.Root, "Findings"],
        ["Keys"] = [LayerGraph.Root, "Findings"],
        // Per-address HTTPS transport, the address policy, and one diagnosis's network state (DiagnosisContext).
        ["Federation"] = [LayerGraph.Root, "Findings", "DnsLookup", "Tls"],
        ["Discovery"] = [LayerGraph.Root, "Findings", "DnsLookup", "Tls", "Federation"],
        // The client files' parsers; fetching them is the orchestrator's ClientStage.
        ["Client"] = [LayerGraph.Root, "Findings", "Federation", "Discovery"],
        // The two-way check (the tester as a Matrix server): signing, the probe's requests, the notary answer and
        // their classification. The orchestrator runs it and turns what it observes into events; reports carry its result.
        ["TwoWay"] = [LayerGraph.Root, "Findings", "DnsLookup", "Tls", "Keys", "Federation", "Discovery"],
        // The call token check (the tester as the homeserver of a test user): its requests to the authorization
        // service and the SFU, the LiveKit token's claims and their classification. It files its findings with the
        // calls readiness findings (Client), which define the one rtc.sfu_url_not_public.
        ["RtcToken"] = [LayerGraph.Root, "Findings", "DnsLookup", "Tls", "Federation", "Client"],
        ["Reports"] = [LayerGraph.Root, "Findings", "DnsLookup", "Tls", "Keys", "Federation", "Discovery", "Client", "TwoWay", "RtcToken"],
        // One typed reading of a report (its verdicts, checklist and wording), for every surface that presents one.
        ["Reading"] = [LayerGraph.Root, "Findings", "DnsLookup", "Tls", "Keys", "Federation", "Discovery", "Client", "TwoWay", "RtcToken", "Reports"],
        ["Orchestration"] = [LayerGraph.Root, "Findings", "DnsLookup", "Tls", "Keys", "Federation", "Discovery", "Client", "Reports", "TwoWay", "RtcToken"],
    };
}
