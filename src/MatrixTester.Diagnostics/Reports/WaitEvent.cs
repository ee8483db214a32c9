namespace MatrixTester.Diagnostics.Reports;

/// <summary>
/// The diagnosis started waiting on something (a DNS answer, an HTTP response) or stopped waiting on it. Every wait
/// gets one event with <see cref="Done"/> false and one with it true, with the same <see cref="Id"/>; the live view
/// shows the oldest wait still open ("waiting for https://example.org/.well-known/matrix/server — 3.2 s") instead of
/// the last step that finished. <see cref="For"/> names what is awaited, in words.
/// </summary>
public sealed record WaitEvent(int Id, string For, bool Done) : DiagnosisEvent
{
    public override string Stage => "wait";

    public override string Summary => Done ? $"No longer waiting for {For}" : $"Waiting for {For}";
}
