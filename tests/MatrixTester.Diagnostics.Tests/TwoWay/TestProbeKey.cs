using System.Runtime.CompilerServices;
using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

/// <summary>A probe key backed by a lab signing key, with an inbound log and an unattributed count the test fills.</summary>
internal sealed class TestProbeKey(LabSigningKey key, DateTimeOffset startedAt) : IProbeKey
{
    private List<InboundKeyRequest> _inbound = [];
    private StrongBox<int> _unattributed = new();
    private StrongBox<int> _releases = new();

    /// <summary>The same probe, handed to a later check (it shares the inbound log and the counts).</summary>
    public TestProbeKey AsReused() => new(key, startedAt) { Reused = true, _inbound = _inbound, _unattributed = _unattributed, _releases = _releases };

    /// <summary>How many checks released the probe.</summary>
    public int Releases => Volatile.Read(ref _releases.Value);

    public LabSigningKey Key => key;

    public string KeyId => key.KeyId;

    public ReadOnlyMemory<byte> PublicKey => key.PublicKey;

    public DateTimeOffset StartedAt => startedAt;

    public bool Reused { get; init; }

    public byte[] Sign(ReadOnlySpan<byte> message) => key.Sign(message);

    public void Record(InboundKeyRequest request)
    {
        lock (_inbound)
        {
            _inbound.Add(request);
        }
    }

    public void Count() => Interlocked.Increment(ref _unattributed.Value);

    public Task<int> UnattributedAsync(CancellationToken cancellationToken) => Task.FromResult(Volatile.Read(ref _unattributed.Value));

    public Task ReleaseAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _releases.Value);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<InboundKeyRequest>> InboundAsync(CancellationToken cancellationToken)
    {
        lock (_inbound)
        {
            return Task.FromResult<IReadOnlyList<InboundKeyRequest>>([.. _inbound]);
        }
    }

    public static TestProbeKey Create() => new(LabSigningKey.Create("ed25519:p" + Guid.NewGuid().ToString("N")[..10]), DateTimeOffset.UtcNow);
}
