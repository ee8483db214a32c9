namespace MatrixTester.Diagnostics.Discovery;

/// <summary>
/// Where <see cref="ServerDiscovery"/> hands each step's result the moment it has it, so the orchestrator can stream
/// it before discovery ends. The final <see cref="DiscoveryResult"/> is the return value.
/// </summary>
internal sealed record DiscoveryObserver(Action<WellKnownResult> WellKnown, Action<SrvResult> Srv);
