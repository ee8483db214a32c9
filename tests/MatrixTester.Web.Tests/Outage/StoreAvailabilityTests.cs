using MatrixTester.Web.Storage;
using MatrixTester.Web.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MatrixTester.Web.Tests.Outage;

/// <summary>The circuits on their own, on a manual clock: when they open, what an open one costs, when they close.</summary>
public sealed class StoreAvailabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    private StoreAvailability Availability() =>
        new(Options.Create(new StorageOptions { BreakDuration = TimeSpan.FromSeconds(5) }), _clock, NullLogger<StoreAvailability>.Instance);

    private static Task<int> Fails(CancellationToken _) => throw new NpgsqlException("Failed to connect to 127.0.0.1:5432");

    [Fact]
    public async Task A_few_failures_open_the_circuit_then_calls_fail_at_once_until_one_succeeds_after_the_break()
    {
        var availability = Availability();
        for (var i = 0; i < StoreAvailability.MinimumCalls; i++)
        {
            var failure = await Assert.ThrowsAsync<StoreUnavailableException>(() => availability.ExecuteAsync(StoreAccess.Write, Fails, Ct));
            Assert.IsType<NpgsqlException>(failure.InnerException);
        }
        Assert.False(availability.IsAvailable);
        Assert.True(availability.IsOpen(StoreAccess.Write));
        Assert.False(availability.IsOpen(StoreAccess.Read));
        Assert.Equal(1, availability.Outages);

        // Open: the store is not called at all.
        var called = false;
        var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            availability.ExecuteAsync(StoreAccess.Write, _ => { called = true; return Task.FromResult(1); }, Ct));
        Assert.False(called);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));

        // After the break one call goes through; its success ends the outage.
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(7, await availability.ExecuteAsync(StoreAccess.Write, _ => Task.FromResult(7), Ct));
        Assert.True(availability.IsAvailable);
        Assert.Equal(1, availability.Outages);
    }

    [Fact]
    public async Task A_failed_probe_keeps_the_same_outage_and_reads_are_a_circuit_of_their_own()
    {
        var availability = Availability();
        for (var i = 0; i < StoreAvailability.MinimumCalls; i++)
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => availability.ExecuteAsync(StoreAccess.Write, Fails, Ct));
        }
        Assert.Equal(3, await availability.ExecuteAsync(StoreAccess.Read, _ => Task.FromResult(3), Ct));

        _clock.Advance(TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => availability.ExecuteAsync(StoreAccess.Write, Fails, Ct));
        Assert.False(availability.IsAvailable);
        Assert.Equal(1, availability.Outages);
    }

    [Fact]
    public async Task Errors_that_are_not_the_store_being_down_pass_through_and_do_not_count()
    {
        var availability = Availability();
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() =>
                availability.ExecuteAsync<int>(StoreAccess.Read, _ => throw new InvalidOperationException("a bug"), Ct));
        }
        Assert.True(availability.IsAvailable);
    }
}
