using System.Net;
using MatrixTester.Diagnostics.DnsLookup;

namespace MatrixTester.Diagnostics.Federation;

/// <summary>
/// What the orchestrator plugs into a diagnosis's network state. Progress and DNS answers go up to it (only the
/// orchestrator turns them into events), and host lookups come down from it: explaining a failed lookup needs the
/// discovery step's findings, which sit above this layer.
/// </summary>
internal sealed record DiagnosisHooks(
    Action<DiagnosisContext, string> Progress,
    Action<DiagnosisContext, WaitMark> Waiting,
    Action<DiagnosisContext, DnsAnswer, string> DnsAnswered,
    Func<DiagnosisContext, string, string, CancellationToken, Task<ResolvedHost>> ResolveHost);

/// <summary>A host's usable addresses, or (when there are none) the first problem found, in one sentence.</summary>
internal sealed record ResolvedHost(IReadOnlyList<IPAddress> Addresses, string? Problem);

/// <summary>A wait that started (<paramref name="Done"/> false) or ended; <paramref name="Id"/> pairs the two.</summary>
internal sealed record WaitMark(int Id, string For, bool Done);
