using MatrixTester.Diagnostics.TwoWay;
using MatrixTester.Lab.Keys;

namespace MatrixTester.Diagnostics.Tests.TwoWay;

/// <summary>A probe key backed by a lab signing key, with an inbound log the test fills.</summary>
internal sealed class TestProbeKey(LabSigningKey key, DateTimeOffset startedAt) : IProbeKey
{
    private List<InboundKeyRequest> _inbound = [];

    /// <summary>The same probe, handed to a later check (it shares the inbound log).</summary>
    public TestProbeKey AsReused() => new(key, startedAt) { Reused = true, _inbound = _inbound };

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

    public Task<IReadOnlyList<InboundKeyRequest>> InboundAsync(CancellationToken cancellationToken)
    {
        lock (_inbound)
        {
            return Task.FromResult<IReadOnlyList<InboundKeyRequest>>([.. _inbound]);
        }
    }

    public static TestProbeKey Create() => new(LabSigningKey.Create("ed25519:p" + Guid.NewGuid().ToString("N")[..10]), DateTimeOffset.UtcNow);
}
