using MatrixTester.DnsComparison;
using MatrixTester.Lab.Dns;

// Every hostile answer the lab can send, then the stale-buffer case and the query ID generator, each against the
// DnsClient package and our own client. Prints a Markdown table (the README quotes it).
var rows = new List<(string Case, string Theirs, string Ours)>();
foreach (var kind in Enum.GetValues<LabMalformation>())
{
    var (theirs, ours) = await HostileCase.RunAsync(kind);
    rows.Add((kind.ToString(), theirs, ours));
}
var spoofed = await SpoofedFirstCase.RunAsync();
rows.Add(("WrongId datagram, then the real answer (127.0.0.5)", spoofed.Theirs, spoofed.Ours));
var stale = await StaleBufferCase.RunAsync();
rows.Add(("PointerPastEnd after a longer answer (Query)", stale.Sync, stale.Ours));
rows.Add(($"PointerPastEnd after a longer answer (QueryAsync, {StaleBufferCase.AsyncTries} tries)", stale.Async, stale.Ours));
rows.Add(("Query ID generator (calls in the shipped IL)", IdGenerator.Theirs(), IdGenerator.Ours()));

Console.WriteLine("| Case | DnsClient 1.8.0 | MatrixTester DnsLookup |");
Console.WriteLine("|---|---|---|");
foreach (var (name, theirs, ours) in rows)
{
    Console.WriteLine($"| {name} | {theirs} | {ours} |");
}
