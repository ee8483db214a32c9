using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MatrixTester.Lab.Peer;

/// <summary>
/// Everything a lab peer printed (bounded), and its JSON log lines: one object per action, with an "event" name
/// (listening, request, connect, key_fetch, verify, rewrite, notary, notary_fetch, error). The SDK's own log lines
/// (pino: "msg", no "event") are kept in <see cref="Text"/> only.
/// </summary>
internal sealed class PeerOutput
{
    private const int MaxLines = 5000;
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private readonly List<JsonObject> _events = [];

    public IReadOnlyList<JsonObject> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public void Add(string? line, bool standardError)
    {
        if (line is null)
        {
            return;
        }
        var entry = standardError ? "[stderr] " + line : line;
        JsonObject? parsed = null;
        // Only our lines: the SDK's pino lines repeat "name", which JsonObject refuses (on first access).
        if (!standardError && line.StartsWith("{\"event\":", StringComparison.Ordinal))
        {
            try
            {
                parsed = JsonNode.Parse(line) as JsonObject;
                _ = parsed?.Count;
            }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                parsed = null; // kept as text only; this runs on the output reader's thread and must not throw
            }
        }
        lock (_gate)
        {
            _lines.Enqueue(entry);
            if (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
            if (parsed?["event"] is JsonValue && _events.Count < MaxLines)
            {
                _events.Add(parsed);
            }
        }
    }

    public IReadOnlyList<JsonObject> Named(string name) => [.. Events.Where(e => (string?)e["event"] == name)];

    /// <summary>The first event named <paramref name="name"/> that matches, polling until it comes, the process exits or
    /// <paramref name="timeout"/> passes.</summary>
    public async Task<JsonObject> WaitForAsync(string name, Func<JsonObject, bool>? match, TimeSpan timeout, Func<bool> exited, string who)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = Named(name).FirstOrDefault(e => match?.Invoke(e) ?? true);
            if (found is not null)
            {
                return found;
            }
            if (clock.Elapsed > timeout || exited())
            {
                throw new TimeoutException($"{who} logged no matching '{name}' within {timeout}. Its output:\n{Text}");
            }
            await Task.Delay(20);
        }
    }
}
