namespace MatrixTester.Web.Storage;

/// <summary>
/// The store as the site uses it: every call goes through <see cref="StoreAvailability"/>'s read or write circuit,
/// so a dead store costs one fast <see cref="StoreUnavailableException"/> instead of a timeout per request.
/// </summary>
public sealed class GuardedResultStore(IResultStore inner, StoreAvailability availability) : IResultStore, IAsyncDisposable, IDisposable
{
    public Task SaveAsync(StoredResult result, CancellationToken cancellationToken) =>
        WriteAsync(ct => inner.SaveAsync(result, ct), cancellationToken);

    public Task<StoredResult?> GetAsync(string id, CancellationToken cancellationToken) =>
        availability.ExecuteAsync(StoreAccess.Read, ct => inner.GetAsync(id, ct), cancellationToken);

    public Task<StoredResult?> GetAsync(string id, int maxJsonBytes, CancellationToken cancellationToken) =>
        availability.ExecuteAsync(StoreAccess.Read, ct => inner.GetAsync(id, maxJsonBytes, ct), cancellationToken);

    public Task<IReadOnlyList<ResultSummary>> RecentAsync(string serverName, int limit, CancellationToken cancellationToken) =>
        availability.ExecuteAsync(StoreAccess.Read, ct => inner.RecentAsync(serverName, limit, ct), cancellationToken);

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        WriteAsync(inner.InitializeAsync, cancellationToken);

    public Task ProbeWriteAsync(CancellationToken cancellationToken) =>
        WriteAsync(inner.ProbeWriteAsync, cancellationToken);

    public Task<int> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        availability.ExecuteAsync(StoreAccess.Write, ct => inner.DeleteCreatedBeforeAsync(cutoff, ct), cancellationToken);

    public void Dispose() => (inner as IDisposable)?.Dispose();

    public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    private Task<bool> WriteAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        availability.ExecuteAsync(StoreAccess.Write, async ct => { await call(ct); return true; }, cancellationToken);
}
