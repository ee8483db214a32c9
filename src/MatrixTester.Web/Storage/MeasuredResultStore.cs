
namespace MatrixTester.Web.Storage;

/// <summary>Times every store call for the <c>matrixtester_store_duration_seconds</c> histogram, for either database.</summary>
public sealed class MeasuredResultStore(IResultStore inner, StoreMetrics metrics, TimeProvider time) : IResultStore, IAsyncDisposable, IDisposable
{
    public Task SaveAsync(StoredResult result, CancellationToken cancellationToken) =>
        MeasureAsync("save", () => inner.SaveAsync(result, cancellationToken));

    public Task<StoredResult?> GetAsync(string id, CancellationToken cancellationToken) =>
        MeasureAsync("get", () => inner.GetAsync(id, cancellationToken));

    public Task<StoredResult?> GetAsync(string id, int maxJsonBytes, CancellationToken cancellationToken) =>
        MeasureAsync("get", () => inner.GetAsync(id, maxJsonBytes, cancellationToken));

    public Task<IReadOnlyList<ResultSummary>> RecentAsync(string serverName, int limit, CancellationToken cancellationToken) =>
        MeasureAsync("recent", () => inner.RecentAsync(serverName, limit, cancellationToken));

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        MeasureAsync("initialize", () => inner.InitializeAsync(cancellationToken));

    public Task<int> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        MeasureAsync("cleanup", () => inner.DeleteCreatedBeforeAsync(cutoff, cancellationToken));

    public Task ProbeWriteAsync(CancellationToken cancellationToken) =>
        MeasureAsync("probe", () => inner.ProbeWriteAsync(cancellationToken));

    public void Dispose() => (inner as IDisposable)?.Dispose();

    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    private async Task MeasureAsync(string operation, Func<Task> call) =>
        await MeasureAsync(operation, async () => { await call(); return true; });

    private async Task<T> MeasureAsync<T>(string operation, Func<Task<T>> call)
    {
        var start = time.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            metrics.Operation(operation, time.GetElapsedTime(start));
        }
    }
}
